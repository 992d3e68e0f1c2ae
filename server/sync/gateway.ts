import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { parseDocName } from '../../src/lib/core/doc-name';
import type { Ctx, Identity } from '../services/context';
import { authenticate, parseCookies } from '../services/authenticate';
import { accessToDoc, actorOf, authorOf } from '../services/doc-access';
import { originAllowed } from '../auth/origin';
import type { DocRegistry } from './doc-registry';
import type { LiveDoc, Peer } from './live-doc';
import { checkClientUpdate } from './write-policy';
import * as P from './protocol';
import { rewriteAwareness } from './awareness-rewrite';

const MAX_FRAME = 256 * 1024;
const PING_MS = 30_000;

/** A socket attached to one document, with who it is and what it may do. */
export class SocketPeer implements Peer {
	awarenessIds = new Set<number>();
	alive = true;
	constructor(
		readonly ws: WebSocket,
		readonly identity: Identity,
		public mode: 'read' | 'write',
		readonly actor: string
	) {}
	send(message: Uint8Array) {
		if (this.ws.readyState === this.ws.OPEN) this.ws.send(message);
	}
	close(code: number, reason: string) {
		this.ws.close(code, reason.slice(0, 120));
	}
	get sessionId() {
		return this.identity.kind === 'user' ? this.identity.sessionId : null;
	}
}

/** The `/sync/<doc>` endpoint: authorize, then speak y-protocols with the write policy. */
export function createGateway(ctx: Ctx, docs: DocRegistry) {
	const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME });
	const ping = setInterval(() => {
		for (const ws of wss.clients) {
			const peer = (ws as WebSocket & { peer?: SocketPeer }).peer;
			if (peer && !peer.alive) ws.terminate();
			else if (peer) {
				peer.alive = false;
				ws.ping();
			}
		}
	}, PING_MS);
	ping.unref();

	function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
		const url = new URL(req.url ?? '/', 'http://localhost');
		if (!url.pathname.startsWith('/sync/')) return socket.destroy();
		wss.handleUpgrade(req, socket, head, (ws) => {
			// Nothing a client sends is read before this decision is taken.
			const refuse = (code: number, reason: string) => ws.close(code, reason);
			if (!originAllowed(req.headers.origin, req.headers.host, ctx.config.origin))
				return refuse(P.CLOSE.FORBIDDEN, 'origin not allowed');
			const name = decodeURIComponent(url.pathname.slice('/sync/'.length));
			const ref = parseDocName(name);
			if (!ref) return refuse(P.CLOSE.NO_SUCH_DOC, 'no such document');
			const chatId = ref.kind === 'agent' ? undefined : ref.chatId;
			const identity = authenticate(ctx, parseCookies(req.headers.cookie), {
				chatId,
				token: url.searchParams.get('token') ?? undefined
			});
			if (!identity) return refuse(P.CLOSE.NOT_SIGNED_IN, 'sign in first');
			const access = accessToDoc(ctx, identity, ref);
			if (!access) return refuse(P.CLOSE.FORBIDDEN, 'not allowed to open this document');
			attach(ws, docs.get(name), new SocketPeer(ws, identity, access, actorOf(identity)));
		});
	}

	function attach(ws: WebSocket, live: LiveDoc, peer: SocketPeer) {
		(ws as WebSocket & { peer?: SocketPeer }).peer = peer;
		docs.attach(live, peer);
		ws.on('pong', () => (peer.alive = true));
		ws.on('message', (data: Buffer, isBinary) => {
			peer.alive = true;
			if (!isBinary) return peer.close(P.CLOSE.BAD_FRAME, 'binary frames only');
			try {
				onMessage(live, peer, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
			} catch (err) {
				peer.close(P.CLOSE.BAD_FRAME, 'malformed message');
			}
		});
		ws.on('close', () => docs.detach(live, peer));
		ws.on('error', () => ws.terminate());
		// Start the sync: our state vector (the client answers with what we miss) and awareness.
		peer.send(P.encodeSyncMessage(P.SYNC_STEP1, Y.encodeStateVector(live.doc)));
		const states = [...live.awareness.getStates().keys()];
		if (states.length > 0)
			peer.send(P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, states)));
	}

	function onMessage(live: LiveDoc, peer: SocketPeer, message: Uint8Array) {
		const d = decoding.createDecoder(message);
		const type = decoding.readVarUint(d);
		switch (type) {
			case P.MSG_SYNC: {
				const sub = decoding.readVarUint(d);
				const payload = decoding.readVarUint8Array(d);
				if (sub === P.SYNC_STEP1) {
					peer.send(P.encodeSyncMessage(P.SYNC_STEP2, Y.encodeStateAsUpdate(live.doc, payload)));
				} else if (sub === P.SYNC_STEP2 || sub === P.SYNC_UPDATE) {
					// A client writes through both; a read-only peer's writes are dropped.
					if (peer.mode === 'write') onClientUpdate(live, peer, payload);
				} else peer.close(P.CLOSE.BAD_FRAME, 'unknown sync message');
				return;
			}
			case P.MSG_AWARENESS: {
				const author = authorOf(peer.identity);
				const rewritten = rewriteAwareness(decoding.readVarUint8Array(d), author, (id) => {
					for (const other of live.peers) if (other !== peer && other.awarenessIds.has(id)) return false;
					return true;
				});
				if (!rewritten) return peer.close(P.CLOSE.BAD_FRAME, 'malformed awareness');
				for (const id of rewritten.clientIds) peer.awarenessIds.add(id);
				applyAwarenessUpdate(live.awareness, rewritten.update, peer);
				return;
			}
			case P.MSG_QUERY_AWARENESS:
				peer.send(
					P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()]))
				);
				return;
			default:
				peer.close(P.CLOSE.BAD_FRAME, 'unknown message type');
		}
	}

	function onClientUpdate(live: LiveDoc, peer: SocketPeer, update: Uint8Array) {
		const result = checkClientUpdate({
			doc: live.doc,
			update,
			writer: authorOf(peer.identity),
			appendOnlyArrays: live.ref.kind === 'chat' ? ['messages'] : [],
			clientOwners: live.clientOwners
		});
		if (!result.ok) return peer.close(P.CLOSE.UPDATE_REFUSED, `update refused: ${result.reason}`);
		if (result.changes) live.applyClientUpdate(peer, update, result.newClientIds);
	}

	return {
		handleUpgrade,
		/** Closes every socket of a session (logout, expiry). */
		closeSession(sessionId: string, code: number, reason: string) {
			for (const ws of wss.clients) {
				const peer = (ws as WebSocket & { peer?: SocketPeer }).peer;
				if (peer?.sessionId === sessionId) peer.close(code, reason);
			}
		},
		close() {
			clearInterval(ping);
			for (const ws of wss.clients) ws.close(P.CLOSE.SHUTTING_DOWN, 'server restarting');
			wss.close();
		}
	};
}
export type Gateway = ReturnType<typeof createGateway>;
