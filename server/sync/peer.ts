import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import type { SyncPrincipal } from '../../src/lib/core/access';
import type { SharedMessage } from './protocol';
import { TokenBucket, type SyncLimits } from './limits';

export const monotonicMs = () => performance.now();

/** Something attached to a document that receives its broadcasts (a socket, in practice). */
export interface Peer {
	send(message: Uint8Array): void;
	/** The same message for many peers, framed once (a socket writes the frame as it is). */
	sendShared?(message: SharedMessage): void;
	/** When something was last sent to this peer (ms, monotonic); absent: unknown. */
	lastSentAt?: number;
	close(code: number, reason: string): void;
	/** Awareness clientIDs this peer announced, removed when it goes. */
	awarenessIds: Set<number>;
	mode: 'read' | 'write';
	actor: string;
}

/** A socket attached to one document, with who it is, what it may do, and its budgets. */
export class SocketPeer implements Peer {
	awarenessIds = new Set<number>();
	/** Whether it sent anything (a frame or a pong) since the heartbeat last looked at it. */
	alive = true;
	/** Whether the last look found it silent and pinged it. */
	pinged = false;
	/** Set once the server decided to close: later frames of this socket are not read. */
	closing = false;
	/** Whether the client's SyncStep2 (its answer to our SyncStep1: all it has that we miss) was read. */
	clientSynced = false;
	/** When we last sent it something (monotonic ms): its own awareness is echoed only as a keepalive. */
	lastSentAt = 0;
	/** Which slice of the heartbeat's round this socket is in. */
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
		readonly principal: SyncPrincipal,
		public mode: 'read' | 'write',
		limits: SyncLimits,
		/** Told of every close the server decides (refusals, limits, access ended). */
		private readonly onClose: (code: number) => void = () => {}
	) {
		const now = monotonicMs();
		this.frames = new TokenBucket(limits.framesPerSecond, limits.frameBurst, now);
		this.bytes = new TokenBucket(limits.bytesPerSecond, limits.byteBurst, now);
		this.stateRequests = new TokenBucket(limits.stateRequestsPerSecond, limits.stateRequestBurst, now);
		this.messages = new TokenBucket(limits.messagesPerSecond, limits.messageBurst, now);
		this.maxBuffered = limits.maxBufferedBytes;
	}
	get actor() {
		return this.principal.actor;
	}
	get holder() {
		return this.principal.holder;
	}
	get sessionId() {
		return this.principal.sessionId;
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
		if (!this.closing) this.onClose(code);
		this.closing = true;
		this.ws.close(code, reason.slice(0, 120));
	}
}

/** The parts of a ws 8 WebSocket that sendShared relies on (checked on every use). */
interface WsInternals {
	_socket?: { write(chunk: Buffer): boolean };
	_sender?: { _state: number; _queue: unknown[]; _firstFragment: boolean };
}

/** The peer a ws WebSocket carries once attached. */
export const peerOf = (ws: WebSocket) => (ws as WebSocket & { peer?: SocketPeer }).peer;
export const setPeer = (ws: WebSocket, peer: SocketPeer) => ((ws as WebSocket & { peer?: SocketPeer }).peer = peer);
