import type * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import {
	Awareness,
	applyAwarenessUpdate,
	encodeAwarenessUpdate,
	removeAwarenessStates
} from 'y-protocols/awareness';
import { messageYjsSyncStep2, readSyncMessage, writeSyncStep1, writeUpdate } from 'y-protocols/sync';
import * as CLOSE from '$lib/core/close-codes';

// The browser's WebSocket provider: the stock y-websocket 3.1 client (WebsocketProvider) cut down
// to what Parley uses, with the same wire protocol and the same connection behaviour — SyncStep1
// and the local awareness state on open, answers to sync and awareness queries, local updates
// and awareness changes sent while open, `synced` after the server's SyncStep2, reconnects with
// exponential backoff (100 ms · 2ⁿ, at most 2.5 s; reset once synced), a reconnect when nothing
// arrived for 30 s, the remote awareness states dropped on close, and a server close with a code
// in 4400–4499 treated as final (`closed`; `connect()` resumes). Left out: the BroadcastChannel
// between tabs (Parley turns it off: tabs must not feed each other updates the server never
// checked), URL parameters, sub-protocols, the resync interval and Node's exit hook.

const messageSync = 0;
const messageAwareness = 1;
const messageAuth = 2;
const messageQueryAwareness = 3;

/** Without a message for this long (not even an awareness renewal, every 15 s) the socket is dead. */
const MESSAGE_RECONNECT_TIMEOUT = 30_000;
const MAX_BACKOFF_MS = 2500;

/** What the provider reports (the stock client's `status`, `sync` and `closed` events). */
export interface ProviderEvents {
	status(status: 'connecting' | 'connected' | 'disconnected'): void;
	sync(synced: boolean): void;
	/** The server closed with a code in 4400–4499: no reconnect until `connect()`. */
	closed(code: number, reason: string): void;
}

export class SyncProvider {
	readonly url: string;
	readonly doc: Y.Doc;
	readonly awareness: Awareness;
	#on: ProviderEvents;
	#ws: WebSocket | null = null;
	#wsconnected = false;
	#shouldConnect = true;
	#synced = false;
	#failures = 0;
	#lastMessage = 0;
	#WS: typeof WebSocket;
	#check: ReturnType<typeof setInterval>;

	/** Syncs `doc` with `<serverUrl>/<room><query>` once `connect()` is called. */
	constructor(serverUrl: string, room: string, doc: Y.Doc, on: ProviderEvents, query = '') {
		this.#on = on;
		this.url = `${serverUrl.replace(/\/+$/, '')}/${room}${query}`;
		this.doc = doc;
		this.awareness = new Awareness(doc);
		// Taken when the provider is made, like the stock client's WebSocketPolyfill default.
		this.#WS = WebSocket;
		doc.on('update', this.#onUpdate);
		this.awareness.on('update', this.#onAwareness);
		this.#check = setInterval(() => {
			if (this.#wsconnected && Date.now() - this.#lastMessage > MESSAGE_RECONNECT_TIMEOUT) this.#closed(this.#ws!, null);
		}, MESSAGE_RECONNECT_TIMEOUT / 10);
	}

	get synced(): boolean {
		return this.#synced;
	}

	set synced(state: boolean) {
		if (this.#synced === state) return;
		this.#synced = state;
		// A connection that synced did useful work: the backoff starts again.
		if (state) this.#failures = 0;
		this.#on.sync(state);
	}

	#onUpdate = (update: Uint8Array, origin: unknown) => {
		if (origin === this) return;
		this.#send((e) => {
			encoding.writeVarUint(e, messageSync);
			writeUpdate(e, update);
		});
	};

	#onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
		this.#send((e) => this.#writeAwareness(e, added.concat(updated, removed)));
	};

	#writeAwareness(e: encoding.Encoder, clients: number[], states?: Map<number, { [key: string]: unknown }>) {
		encoding.writeVarUint(e, messageAwareness);
		encoding.writeVarUint8Array(e, encodeAwarenessUpdate(this.awareness, clients, states));
	}

	/** Sends a message on the open socket; dropped otherwise (the next SyncStep1 catches up). */
	#send(write: (e: encoding.Encoder) => void) {
		const ws = this.#ws;
		if (!this.#wsconnected || !ws || ws.readyState !== ws.OPEN) return;
		const e = encoding.createEncoder();
		write(e);
		ws.send(encoding.toUint8Array(e));
	}

	#read(data: Uint8Array): encoding.Encoder {
		const decoder = decoding.createDecoder(data);
		const e = encoding.createEncoder();
		switch (decoding.readVarUint(decoder)) {
			case messageSync:
				encoding.writeVarUint(e, messageSync);
				if (readSyncMessage(decoder, e, this.doc, this) === messageYjsSyncStep2) this.synced = true;
				break;
			case messageQueryAwareness:
				this.#writeAwareness(e, [...this.awareness.getStates().keys()]);
				break;
			case messageAwareness:
				applyAwarenessUpdate(this.awareness, decoding.readVarUint8Array(decoder), this);
				break;
			case messageAuth:
				// y-protocols/auth: 0 = permission denied, with a reason.
				if (decoding.readVarUint(decoder) === 0)
					console.warn(`Permission denied to access ${this.url}.\n${decoding.readVarString(decoder)}`);
				break;
			default:
				console.error('Unable to compute message');
		}
		return e;
	}

	#open() {
		if (!this.#shouldConnect || this.#ws) return;
		const ws = new this.#WS(this.url);
		ws.binaryType = 'arraybuffer';
		this.#ws = ws;
		this.#wsconnected = false;
		this.synced = false;
		ws.onmessage = (event) => {
			if (this.#ws !== ws) return;
			this.#lastMessage = Date.now();
			const reply = this.#read(new Uint8Array(event.data as ArrayBuffer));
			if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
		};
		ws.onclose = (event) => this.#closed(ws, event);
		// An error is followed by a close; a handler keeps Node's `ws` from rethrowing it.
		ws.onerror = () => {};
		ws.onopen = () => {
			if (this.#ws !== ws) return;
			this.#lastMessage = Date.now();
			this.#wsconnected = true;
			this.#on.status('connected');
			this.#send((e) => {
				encoding.writeVarUint(e, messageSync);
				writeSyncStep1(e, this.doc);
			});
			if (this.awareness.getLocalState() !== null) this.#send((e) => this.#writeAwareness(e, [this.doc.clientID]));
		};
		this.#on.status('connecting');
	}

	/** `event` is null when we closed the socket ourselves (disconnect, or the silence check). */
	#closed(ws: WebSocket, event: CloseEvent | null) {
		if (ws !== this.#ws) return;
		this.#ws = null;
		ws.onmessage = ws.onopen = ws.onclose = null;
		// Closing a socket that is still connecting reports an error; swallow it.
		ws.onerror = () => {};
		ws.close();
		if (this.#wsconnected) {
			this.#wsconnected = false;
			this.synced = false;
			const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
			removeAwarenessStates(this.awareness, others, this);
			this.#on.status('disconnected');
		}
		// Every closed connection counts as a failed attempt until one syncs.
		this.#failures++;
		// 4400–4499 mirror HTTP 4xx: the server decided, reconnecting cannot fix it.
		const final = event != null && CLOSE.isFinal(event.code);
		if (final) this.#shouldConnect = false;
		setTimeout(() => this.#open(), Math.min(2 ** this.#failures * 100, MAX_BACKOFF_MS));
		// Last, so that a `closed` handler may call connect() at once.
		if (final) this.#on.closed(event.code, event.reason);
	}

	connect() {
		this.#shouldConnect = true;
		if (!this.#wsconnected && !this.#ws) this.#open();
	}

	disconnect() {
		this.#shouldConnect = false;
		// Tell the others this client is gone (its awareness state as null).
		this.#send((e) => this.#writeAwareness(e, [this.doc.clientID], new Map()));
		if (this.#ws) this.#closed(this.#ws, null);
	}

	destroy() {
		clearInterval(this.#check);
		this.disconnect();
		this.awareness.off('update', this.#onAwareness);
		this.doc.off('update', this.#onUpdate);
	}
}
