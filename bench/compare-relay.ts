// The reference relay of `npm run bench:compare` (benchmark only, never part of Parley): a Yjs
// server built on y-protocols the way the stock y-websocket server (`y-websocket/bin/utils`,
// now y-websocket-server) works — one Y.Doc per room in memory, no auth, no persistence, never
// unloaded. Every update is encoded once and sent to every connection of the room (the sender
// included, as the stock server does); awareness likewise; one 30 s ping timer per connection.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';

const messageSync = 0;
const messageAwareness = 1;
const PING_TIMEOUT = 30_000;
const WS_CONNECTING = 0;
const WS_OPEN = 1;

class SharedDoc extends Y.Doc {
	readonly conns = new Map<WebSocket, Set<number>>();
	readonly awareness: awarenessProtocol.Awareness;

	constructor(readonly name: string) {
		super({ gc: true });
		this.awareness = new awarenessProtocol.Awareness(this);
		this.awareness.setLocalState(null);
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, conn: WebSocket | null) => {
				const changed = added.concat(updated, removed);
				if (conn !== null) {
					const ids = this.conns.get(conn);
					if (ids) {
						for (const id of added) ids.add(id);
						for (const id of removed) ids.delete(id);
					}
				}
				const encoder = encoding.createEncoder();
				encoding.writeVarUint(encoder, messageAwareness);
				encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
				const buf = encoding.toUint8Array(encoder);
				this.conns.forEach((_, c) => send(this, c, buf));
			}
		);
		this.on('update', (update: Uint8Array) => {
			const encoder = encoding.createEncoder();
			encoding.writeVarUint(encoder, messageSync);
			syncProtocol.writeUpdate(encoder, update);
			const message = encoding.toUint8Array(encoder);
			this.conns.forEach((_, c) => send(this, c, message));
		});
	}
}

function closeConn(doc: SharedDoc, conn: WebSocket) {
	const ids = doc.conns.get(conn);
	if (ids) {
		doc.conns.delete(conn);
		awarenessProtocol.removeAwarenessStates(doc.awareness, [...ids], null);
	}
	conn.close();
}

function send(doc: SharedDoc, conn: WebSocket, m: Uint8Array) {
	if (conn.readyState !== WS_CONNECTING && conn.readyState !== WS_OPEN) closeConn(doc, conn);
	try {
		conn.send(m, {}, (err) => err != null && closeConn(doc, conn));
	} catch {
		closeConn(doc, conn);
	}
}

export function startRelay(opts: { port: number; host: string }) {
	const docs = new Map<string, SharedDoc>();
	const getDoc = (name: string) => {
		let doc = docs.get(name);
		if (!doc) {
			doc = new SharedDoc(name);
			docs.set(name, doc);
		}
		return doc;
	};

	function messageListener(conn: WebSocket, doc: SharedDoc, message: Uint8Array) {
		try {
			const encoder = encoding.createEncoder();
			const decoder = decoding.createDecoder(message);
			const messageType = decoding.readVarUint(decoder);
			switch (messageType) {
				case messageSync:
					encoding.writeVarUint(encoder, messageSync);
					syncProtocol.readSyncMessage(decoder, encoder, doc, conn);
					if (encoding.length(encoder) > 1) send(doc, conn, encoding.toUint8Array(encoder));
					break;
				case messageAwareness:
					awarenessProtocol.applyAwarenessUpdate(doc.awareness, decoding.readVarUint8Array(decoder), conn);
					break;
			}
		} catch (err) {
			console.error(err);
		}
	}

	function setupConnection(conn: WebSocket, docName: string) {
		conn.binaryType = 'arraybuffer';
		const doc = getDoc(docName);
		doc.conns.set(conn, new Set());
		conn.on('message', (message: ArrayBuffer) => messageListener(conn, doc, new Uint8Array(message)));
		let pongReceived = true;
		const pingInterval = setInterval(() => {
			if (!pongReceived) {
				if (doc.conns.has(conn)) closeConn(doc, conn);
				clearInterval(pingInterval);
			} else if (doc.conns.has(conn)) {
				pongReceived = false;
				try {
					conn.ping();
				} catch {
					closeConn(doc, conn);
					clearInterval(pingInterval);
				}
			}
		}, PING_TIMEOUT);
		conn.on('close', () => {
			closeConn(doc, conn);
			clearInterval(pingInterval);
		});
		conn.on('pong', () => {
			pongReceived = true;
		});
		// SyncStep1, then the awareness states we know.
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, messageSync);
		syncProtocol.writeSyncStep1(encoder, doc);
		send(doc, conn, encoding.toUint8Array(encoder));
		const states = doc.awareness.getStates();
		if (states.size > 0) {
			const e = encoding.createEncoder();
			encoding.writeVarUint(e, messageAwareness);
			encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(doc.awareness, [...states.keys()]));
			send(doc, conn, encoding.toUint8Array(e));
		}
	}

	const wss = new WebSocketServer({ noServer: true });
	const server = createServer((_req, res) => {
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('okay');
	});
	server.on('upgrade', (req, socket, head) => {
		wss.handleUpgrade(req, socket, head, (ws) => {
			const docName = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
			setupConnection(ws, docName);
		});
	});
	return new Promise<{ port: number; docs: Map<string, SharedDoc>; close: () => Promise<void> }>((resolve) => {
		server.listen(opts.port, opts.host, () =>
			resolve({
				port: (server.address() as AddressInfo).port,
				docs,
				close: () =>
					new Promise<void>((ok) => {
						for (const ws of wss.clients) ws.terminate();
						wss.close();
						server.close(() => ok());
					})
			})
		);
	});
}
