import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { DocRegistry } from './doc-registry';
import type { LiveDoc } from './live-doc';
import { admit, type AdmissionHooks, type Admitted } from './admission';
import { attachConnection } from './connection';
import { startHeartbeat } from './heartbeat';
import { ConnectionCounter, DEFAULT_LIMITS, SharedBuckets, type SyncLimits } from './limits';
import { monotonicMs, peerOf, setPeer, SocketPeer } from './peer';
import * as P from './protocol';
import { watchSessions } from './session-watch';
import type { KnownUploads } from './known-uploads';

/** What main wires into the gateway (the gateway imports no service: ARCHITECTURE's rule). */
export interface GatewayHooks extends AdmissionHooks {
	/** The server's clock, ms since epoch. */
	now(): number;
	/** Which of these staff sessions are still valid (checked without sliding them). */
	liveSessions(ids: string[]): Promise<Set<string>>;
	/** A failure on our side, to log. */
	onError(what: string, err: unknown): void;
	/** The gateway closed a socket with this code (refusals and limits; for the metrics). */
	refused?(code: number): void;
	/** B9: the uploads the write policy lets messages refer to. */
	uploads?: KnownUploads;
}

/**
 * The `/sync/<doc>` endpoint: admission (origin, document, the authorize hook), then one
 * connection per socket (frames, limits, dispatch), the heartbeat, and the session re-check.
 * Nothing a client sends is read before the connection is admitted and its document loaded, and
 * nothing it sends can throw out of here (a throw in an upgrade handler ends the process). A
 * failed authorization or load closes 1011 (the client retries) and goes to `onError`.
 */
export function createGateway(hooks: GatewayHooks, docs: DocRegistry, overrides: Partial<SyncLimits> = {}) {
	const limits: SyncLimits = { ...DEFAULT_LIMITS, ...overrides };
	const wss = new WebSocketServer({ noServer: true, maxPayload: limits.hardMaxFrameBytes });
	const connections = new ConnectionCounter();
	const holderMessages = new SharedBuckets(limits.holderMessagesPerSecond, limits.holderMessageBurst);
	const peers = function* () {
		for (const ws of wss.clients) {
			const peer = peerOf(ws);
			if (peer) yield peer;
		}
	};
	const heartbeat = startHeartbeat(peers, () => holderMessages.sweep(monotonicMs()));
	const sessions = watchSessions({
		everyMs: limits.sessionCheckMs,
		sockets: peers,
		liveSessions: hooks.liveSessions,
		onError: hooks.onError,
		code: P.CLOSE.NOT_SIGNED_IN
	});
	const connectionDeps = { limits, now: hooks.now, holderMessages, onError: hooks.onError, uploads: hooks.uploads };

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
			ws.on('error', () => ws.terminate());
			// Nothing a client sends is read before it is admitted and its document loaded: frames
			// that arrive meanwhile are held (in order) for the connection.
			const early = holdFrames(ws);
			admitAndOpen(ws, req, url, early).then(
				(opened) => opened || early.drop(),
				(err) => {
					early.drop();
					hooks.onError('sync upgrade failed', err);
					ws.close(P.CLOSE.INTERNAL_ERROR, 'server error; try again');
				}
			);
		});
	}

	/** Whether the socket was attached to its document (if not, it was refused or closed meanwhile). */
	async function admitAndOpen(ws: WebSocket, req: IncomingMessage, url: URL, early: EarlyFrames): Promise<boolean> {
		const admission = await admit(req, url, hooks);
		if (ws.readyState !== ws.OPEN) return false; // it closed meanwhile: nothing taken yet
		if (!admission.ok) return refuse(ws, admission.code, admission.reason);
		const { principal } = admission;
		const max = principal.sessionId ? limits.connectionsPerSession : limits.connectionsPerCustomer;
		if (!connections.acquire(principal.holder, max))
			return refuse(ws, P.CLOSE.TOO_MANY, `too many connections (at most ${max} at once)`);
		let live: LiveDoc;
		try {
			live = await docs.get(admission.name);
		} catch (err) {
			connections.release(principal.holder);
			throw err;
		}
		if (ws.readyState !== ws.OPEN) {
			// Closed during the load: not attached, and its connection is given back.
			connections.release(principal.holder);
			return false;
		}
		open(ws, admission, live, early);
		return true;
	}

	function refuse(ws: WebSocket, code: number, reason: string): false {
		hooks.refused?.(code);
		ws.close(code, reason);
		return false;
	}

	function open(ws: WebSocket, admission: Admitted, live: LiveDoc, early: EarlyFrames) {
		const { principal, mode } = admission;
		const peer = new SocketPeer(ws, principal, mode, limits, (code) => hooks.refused?.(code));
		setPeer(ws, peer);
		heartbeat.track(peer);
		docs.attach(live, peer);
		ws.on('close', () => {
			connections.release(peer.holder);
			docs.detach(live, peer);
		});
		attachConnection(ws, live, peer, connectionDeps, early.take());
		ws.resume();
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
			heartbeat.stop();
			sessions.stop();
			for (const ws of wss.clients) {
				ws.resume(); // one still waiting for admission reads the client's close frame
				ws.close(P.CLOSE.SHUTTING_DOWN, 'server restarting');
			}
			wss.close();
		}
	};
}
export type Gateway = ReturnType<typeof createGateway>;

/** Frames a socket sent before its connection was attached, in order. */
interface EarlyFrames {
	/** Stops holding; the frames held so far, for the connection to read first. */
	take(): [Buffer, boolean][];
	/** Stops holding and forgets them (the socket is not attached); reads again (its close frame). */
	drop(): void;
}

/**
 * ws emits 'message' only to its listeners: without one, a frame is lost. Until the connection
 * is attached, frames are kept here, and the socket is paused so that a client cannot make us keep
 * more than what was already read from it.
 */
function holdFrames(ws: WebSocket): EarlyFrames {
	const frames: [Buffer, boolean][] = [];
	const keep = (data: Buffer, isBinary: boolean) => frames.push([data, isBinary]);
	ws.on('message', keep);
	ws.pause();
	return {
		take() {
			ws.off('message', keep);
			return frames;
		},
		drop() {
			ws.off('message', keep);
			frames.length = 0;
			ws.resume();
		}
	};
}
