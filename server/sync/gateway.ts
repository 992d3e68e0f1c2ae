import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { performance } from 'node:perf_hooks';
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
import type { SharedMessage } from './protocol';
import { checkClientUpdate, isEmptyUpdate } from './write-policy';
import * as P from './protocol';
import { rewriteAwareness } from './awareness-rewrite';
import { ConnectionCounter, DEFAULT_LIMITS, SharedBuckets, TokenBucket, type SyncLimits } from './limits';
import { watchSessions } from './session-watch';

const PING_MS = 30_000;
/** The ping round is spread over this many slices (one a second): no stall over every socket at once. */
const PING_SLICES = 30;
const INTERNAL_ERROR = P.CLOSE.INTERNAL_ERROR;

const monotonicMs = () => performance.now();
const NO_IDS = { has: () => false };

/** A socket attached to one document, with who it is and what it may do. */
export class SocketPeer implements Peer {
	awarenessIds = new Set<number>();
	/** Whether it sent anything (a frame or a pong) since the ping round last looked at it. */
	alive = true;
	/** Whether the last look found it silent and pinged it. */
	pinged = false;
	/** Set once the server decided to close: later frames of this socket are not read. */
	closing = false;
	/** Whether the client's SyncStep2 (its answer to our SyncStep1: all it has that we miss) was read. */
	clientSynced = false;
	/** When we last sent it something (monotonic ms): its own awareness is echoed only as a keepalive. */
	lastSentAt = 0;
	/** Which slice of the ping round this socket is in. */
	pingSlice = 0;
	/** When (server clock, ms) we first answered its SyncStep1: from then on it was sent every change. */
	answeredAt: number | null = null;
	readonly frames: TokenBucket;
	readonly messages: TokenBucket;
	readonly bytes: TokenBucket;
	readonly stateRequests: TokenBucket;
	private readonly maxBuffered: number;
	constructor(
		readonly ws: WebSocket,
		readonly identity: Identity,
		public mode: 'read' | 'write',
		readonly actor: string,
		readonly holder: string,
		limits: SyncLimits
	) {
		const now = monotonicMs();
		this.frames = new TokenBucket(limits.framesPerSecond, limits.frameBurst, now);
		this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
		this.stateRequests = new TokenBucket(limits.stateRequestsPerSecond, limits.stateRequestBurst, now);
		this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
		this.maxBuffered = limits.maxBufferedBytes;
	}
	send(message: Uint8Array) {
		if (!this.writable()) return;
		this.lastSentAt = monotonicMs();
		this.ws.send(message);
	}
	/**
	 * A broadcast: the frame was built once for every peer, and is written to the socket as it is
	 * (what ws.send would write, without framing it again for each socket). Through ws.send when
	 * ws holds frames of its own back (it never does here: no compression, no Blobs).
	 */
	sendShared(message: SharedMessage) {
		if (!this.writable()) return;
		this.lastSentAt = monotonicMs();
		const raw = this.ws as unknown as WsInternals;
		const socket = raw._socket;
		const sender = raw._sender;
		if (socket && sender && sender._state === 0 && sender._queue.length === 0 && sender._firstFragment)
			socket.write(message.frame());
		else this.ws.send(message.data);
	}
	private writable() {
		if (this.ws.readyState !== this.ws.OPEN) return false;
		if (this.ws.bufferedAmount > this.maxBuffered) {
			// It does not read what it is sent: drop it before its backlog grows without bound.
			this.closing = true;
			this.ws.terminate();
			return false;
		}
		return true;
	}
	close(code: number, reason: string) {
		this.closing = true;
		this.ws.close(code, reason.slice(0, 120));
	}
	get sessionId() {
		return this.identity.kind === 'user' ? this.identity.sessionId : null;
	}
}

/** The parts of a ws 8 WebSocket that sendShared relies on (checked on every use). */
interface WsInternals {
	_socket?: { write(chunk: Buffer): boolean };
	_sender?: { _state: number; _queue: unknown[]; _firstFragment: boolean };
}

/** Whose connection budget a socket uses: its session, or its customer's chat token. */
const holderOf = (identity: Identity) =>
	identity.kind === 'user' ? `session:${identity.sessionId}` : `customer:${identity.chatId}:${identity.customerId}`;

/**
 * The `/sync/<doc>` endpoint: authorize, then speak y-protocols with the write policy and the
 * limits of README "Limits". Nothing a client sends is read before the connection is authorized,
 * and nothing a client sends can throw out of here (a throw in an upgrade handler ends the process).
 */
export function createGateway(ctx: Ctx, docs: DocRegistry, overrides: Partial<SyncLimits> = {}) {
	const limits: SyncLimits = { ...DEFAULT_LIMITS, ...overrides };
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.hardMaxFrameBytes });
	const connections = new ConnectionCounter();
	const holderMessages = new SharedBuckets(limits.holderMessagesPerSecond, limits.holderMessageBurst);
	const peers = () => {
		const out: SocketPeer[] = [];
		for (const ws of wss.clients) {
			const peer = (ws as WebSocket & { peer?: SocketPeer }).peer;
			if (peer) out.push(peer);
		}
		return out;
	};
	// Every PING_MS each socket is looked at, one slice of the sockets a second rather than all of
	// them in one stall: one that sent something since the last look needs no ping (a stock client
	// renews its awareness every 15 s); a silent one is pinged, and dropped if it is still silent
	// (no frame, no pong) at the next look.
	let pingSlice = 0;
	let nextSlice = 0;
	const ping = setInterval(() => {
		pingSlice = (pingSlice + 1) % PING_SLICES;
		if (pingSlice === 0) holderMessages.sweep(monotonicMs());
		for (const ws of wss.clients) {
			const peer = (ws as WebSocket & { peer?: SocketPeer }).peer;
			if (!peer || peer.pingSlice !== pingSlice) continue;
			if (peer.alive) {
				peer.alive = false;
				peer.pinged = false;
			} else if (peer.pinged) peer.ws.terminate();
			else {
				peer.pinged = true;
				peer.ws.ping();
			}
		}
	}, PING_MS / PING_SLICES);
	ping.unref();
	const sessions = watchSessions({
		db: ctx.db,
		now: ctx.now,
		everyMs: limits.sessionCheckMs,
		sockets: peers,
		code: P.CLOSE.NOT_SIGNED_IN
	});

	function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
		let url: URL;
		try {
			url = new URL(req.url ?? '/', 'http://localhost');
		} catch {
			socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
			return;
		}
		if (!url.pathname.startsWith('/sync/')) return socket.destroy();
		socket.on('error', () => socket.destroy());
		wss.handleUpgrade(req, socket, head, (ws) => {
			// Nothing a client sends is read before this decision is taken (no 'message' listener yet).
			try {
				admit(req, url, ws);
			} catch (err) {
				console.error('sync upgrade failed', err);
				ws.close(INTERNAL_ERROR, 'server error; try again');
			}
		});
	}

	function admit(req: IncomingMessage, url: URL, ws: WebSocket) {
		const refuse = (code: number, reason: string) => ws.close(code, reason);
		if (!originAllowed(req.headers.origin, req.headers.host, ctx.config.origin))
			return refuse(P.CLOSE.FORBIDDEN, 'origin not allowed');
		const name = decodeDocName(url.pathname.slice('/sync/'.length));
		const ref = parseDocName(name); // anchored: only names it would print the same way
		if (!ref) return refuse(P.CLOSE.NO_SUCH_DOC, 'no such document');
		const chatId = ref.kind === 'agent' ? undefined : ref.chatId;
		const identity = authenticate(ctx, parseCookies(req.headers.cookie), {
			chatId,
			token: url.searchParams.get('token') ?? undefined
		});
		if (!identity) return refuse(P.CLOSE.NOT_SIGNED_IN, 'sign in first');
		const access = accessToDoc(ctx, identity, ref);
		if (!access) return refuse(P.CLOSE.FORBIDDEN, 'not allowed to open this document');
		const holder = holderOf(identity);
		const max = identity.kind === 'user' ? limits.connectionsPerSession : limits.connectionsPerCustomer;
		if (!connections.acquire(holder, max))
			return refuse(P.CLOSE.TOO_MANY, `too many connections (at most ${max} at once)`);
		let live: LiveDoc;
		try {
			live = docs.get(name);
		} catch (err) {
			connections.release(holder);
			throw err;
		}
		attach(ws, live, new SocketPeer(ws, identity, access, actorOf(identity), holder, limits));
	}

	function attach(ws: WebSocket, live: LiveDoc, peer: SocketPeer) {
		(ws as WebSocket & { peer?: SocketPeer }).peer = peer;
		peer.pingSlice = nextSlice++ % PING_SLICES;
		docs.attach(live, peer);
		ws.on('pong', () => (peer.alive = true));
		ws.on('message', (data: Buffer, isBinary) => {
			if (peer.closing) return;
			peer.alive = true;
			if (!isBinary) return peer.close(P.CLOSE.BAD_FRAME, 'binary frames only');
			if (data.byteLength > limits.maxFrameBytes)
				return peer.close(P.CLOSE.TOO_LARGE, `frame larger than ${limits.maxFrameBytes} bytes`);
			const now = monotonicMs();
			if (!peer.frames.take(1, now) || !peer.bytes.take(data.byteLength, now))
				return peer.close(P.CLOSE.TOO_MANY, 'too many messages; slow down');
			onMessage(live, peer, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
		});
		ws.on('close', () => {
			connections.release(peer.holder);
			docs.detach(live, peer);
		});
		ws.on('error', () => ws.terminate());
		// Start the sync: our state vector (the client answers with what we miss) and awareness.
		peer.send(P.encodeSyncMessage(P.SYNC_STEP1, live.stateVector()));
		const states = [...live.awareness.getStates().keys()];
		if (states.length > 0)
			peer.send(P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, states)));
	}

	/** Reads one frame. Malformed input closes 4402; a failure on our side closes 1011 (retry). */
	function onMessage(live: LiveDoc, peer: SocketPeer, message: Uint8Array) {
		let type: number;
		let sub = -1;
		let payload: Uint8Array | null = null;
		try {
			const d = decoding.createDecoder(message);
			type = decoding.readVarUint(d);
			if (type === P.MSG_SYNC) {
				sub = decoding.readVarUint(d);
				payload = decoding.readVarUint8Array(d);
			} else if (type === P.MSG_AWARENESS) payload = decoding.readVarUint8Array(d);
		} catch {
			return peer.close(P.CLOSE.BAD_FRAME, 'malformed message');
		}
		switch (type) {
			case P.MSG_SYNC:
				if (sub === P.SYNC_STEP1) {
					if (!peer.stateRequests.take(1, monotonicMs()))
						return peer.close(P.CLOSE.TOO_MANY, 'too many sync requests; slow down');
					let answer: Uint8Array;
					try {
						answer = live.stateAsUpdate(payload!);
					} catch {
						return peer.close(P.CLOSE.BAD_FRAME, 'malformed state vector');
					}
					peer.answeredAt ??= ctx.now();
					peer.send(P.encodeSyncMessage(P.SYNC_STEP2, answer));
				} else if (sub === P.SYNC_STEP2 || sub === P.SYNC_UPDATE) {
					// Checked against the state it will be applied to: commit a waiting update first.
					live.settle();
					// A client writes through both; a read-only peer's writes are dropped.
					if (sub === P.SYNC_UPDATE && !peer.clientSynced && startsAfterOurState(live.doc, payload!)) {
						// Typed after reconnecting but before the client answered our SyncStep1: it
						// depends on the offline backlog that answer carries, and the answer (computed
						// later) carries this update too. Refusing it would block an honest client.
						return;
					}
					if (sub === P.SYNC_STEP2) peer.clientSynced = true;
					if (peer.mode === 'write') onClientUpdate(live, peer, payload!);
				} else peer.close(P.CLOSE.BAD_FRAME, 'unknown sync message');
				return;
			case P.MSG_AWARENESS:
				return onAwareness(live, peer, payload!);
			case P.MSG_QUERY_AWARENESS:
				peer.send(
					P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()]))
				);
				return;
			default:
				peer.close(P.CLOSE.BAD_FRAME, 'unknown message type');
		}
	}

	function onAwareness(live: LiveDoc, peer: SocketPeer, update: Uint8Array) {
		const author = authorOf(peer.identity);
		const claimed = new Set(peer.awarenessIds);
		const rewritten = rewriteAwareness(update, author, (id) => {
			// Never the server's own state, never another connection's, and only a few per socket.
			if (id === live.awareness.clientID) return false;
			for (const other of live.peers) if (other !== peer && other.awarenessIds.has(id)) return false;
			if (claimed.has(id)) return true;
			if (claimed.size >= limits.awarenessIdsPerConnection) return false;
			claimed.add(id);
			return true;
		});
		if (!rewritten) return peer.close(P.CLOSE.BAD_FRAME, 'malformed awareness');
		for (const id of rewritten.clientIds) peer.awarenessIds.add(id);
		try {
			applyAwarenessUpdate(live.awareness, rewritten.update, peer);
		} catch {
			peer.close(P.CLOSE.BAD_FRAME, 'malformed awareness');
		}
	}

	function onClientUpdate(live: LiveDoc, peer: SocketPeer, update: Uint8Array) {
		// Nothing to check or store, and a sleeping document stays asleep (every client sends one on connect).
		if (isEmptyUpdate(update)) return;
		const now = ctx.now();
		const isChat = live.ref.kind === 'chat';
		const result = checkClientUpdate({
			doc: live.doc,
			update,
			writer: authorOf(peer.identity),
			appendOnlyArrays: isChat ? ['messages'] : [],
			clientOwners: live.clientOwners,
			now,
			messageIds: isChat ? live.messageIds() : NO_IDS,
			concurrent: (client, from, to) => unseenBy(peer, live.recent.receivedAt(client, from, to, now), now),
			maxMessages: limits.maxMessagesPerUpdate
		});
		if (!result.ok) return peer.close(P.CLOSE.UPDATE_REFUSED, `update refused: ${result.reason}`);
		if (!result.changes) return;
		const count = result.messageIds.length;
		const clock = monotonicMs();
		if (count > 0 && !(peer.messages.spend(count, clock) && holderMessages.get(`${peer.holder} ${live.name}`, clock).spend(count, clock)))
			return peer.close(P.CLOSE.TOO_MANY, 'too many messages; slow down');
		try {
			// Appended with this turn's other writes in one transaction, then applied and broadcast.
			live.submitClientUpdate(peer, update, result.newClientIds);
		} catch (err) {
			// Not the client's fault (e.g. the disk): it keeps the update and re-sends it on reconnect.
			console.error(`storing an update of ${live.name} failed`, err);
			peer.close(INTERNAL_ERROR, 'could not store the update; reconnecting');
		}
	}

	/**
	 * T1: whether elements received at `receivedAt` (null: before the append window) may have been
	 * unknown to the peer when it wrote: not yet sent to it, or sent so recently that they may
	 * still have been on the wire.
	 */
	function unseenBy(peer: SocketPeer, receivedAt: number | null, now: number): boolean {
		if (receivedAt === null) return false;
		if (peer.answeredAt === null) return true;
		return now - Math.max(receivedAt, peer.answeredAt) < limits.sentGraceMs;
	}

	return {
		handleUpgrade,
		limits,
		/** Closes every socket of a session (logout, expiry). */
		closeSession(sessionId: string, code: number, reason: string) {
			for (const peer of peers()) if (peer.sessionId === sessionId) peer.close(code, reason);
		},
		/** Checks the sessions behind open sockets now (also runs every `sessionCheckMs`). */
		checkSessions: () => sessions.checkOnce(),
		close() {
			clearInterval(ping);
			sessions.stop();
			for (const ws of wss.clients) ws.close(P.CLOSE.SHUTTING_DOWN, 'server restarting');
			wss.close();
		}
	};
}
export type Gateway = ReturnType<typeof createGateway>;

/**
 * Whether some client's structs in `update` begin beyond what `doc` has of that client (a clock
 * gap: it depends on updates not received yet). Undecodable updates are left to the write policy.
 */
function startsAfterOurState(doc: Y.Doc, update: Uint8Array): boolean {
	let structs: ReturnType<typeof Y.decodeUpdate>['structs'];
	try {
		structs = Y.decodeUpdate(update).structs;
	} catch {
		return false;
	}
	const first = new Map<number, number>();
	for (const s of structs) if (!first.has(s.id.client)) first.set(s.id.client, s.id.clock);
	for (const [client, clock] of first) if (clock > Y.getState(doc.store, client)) return true;
	return false;
}

/** A malformed %-escape names no document (instead of throwing out of the upgrade). */
function decodeDocName(raw: string): string {
	try {
		return decodeURIComponent(raw);
	} catch {
		return '';
	}
}
