import WebSocket from 'ws';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as P from '../../server/sync/protocol';

/** How a raw socket ended: the close code and reason the server sent (1006 = no close frame). */
export interface Closed {
	code: number;
	reason: string;
}

/**
 * A hand-driven sync socket: sends any bytes, records what comes back and how it closed. Used to
 * speak to the gateway the way an attacker would, not the way the stock client does.
 */
export class RawSocket {
	readonly ws: WebSocket;
	readonly received: Uint8Array[] = [];
	closed: Closed | null = null;
	readonly opened: Promise<void>;
	readonly ended: Promise<Closed>;
	private waiters: (() => void)[] = [];

	constructor(base: string, doc: string, opts: { token?: string; cookie?: string; origin?: string } = {}) {
		const url = `${base.replace(/^http/, 'ws')}/sync/${doc}${opts.token ? `?token=${encodeURIComponent(opts.token)}` : ''}`;
		const headers: Record<string, string> = {};
		if (opts.cookie) headers.cookie = opts.cookie;
		if (opts.origin) headers.origin = opts.origin;
		this.ws = new WebSocket(url, { headers });
		this.ws.binaryType = 'nodebuffer';
		this.opened = new Promise((ok, fail) => {
			this.ws.once('open', () => ok());
			this.ws.once('error', fail);
		});
		this.ws.on('error', () => {});
		this.ws.on('message', (data: Buffer) => {
			this.received.push(new Uint8Array(data));
			this.wake();
		});
		this.ended = new Promise((ok) =>
			this.ws.once('close', (code, reason) => {
				this.closed = { code, reason: reason.toString() };
				this.wake();
				ok(this.closed);
			})
		);
	}

	private wake() {
		for (const w of this.waiters.splice(0)) w();
	}

	/** Resolves at the next message or close (whichever first). */
	private next(): Promise<void> {
		return new Promise((ok) => this.waiters.push(ok));
	}

	send(bytes: Uint8Array | string) {
		if (this.ws.readyState !== WebSocket.OPEN) return;
		// Every well-formed SyncStep1 is answered with one SyncStep2 (the barrier counts them).
		if (typeof bytes !== 'string' && bytes[0] === P.MSG_SYNC && bytes[1] === P.SYNC_STEP1) this.step1Sent++;
		this.ws.send(bytes);
	}

	/**
	 * Sends a SyncStep1 and waits for its SyncStep2: the server reads a socket's frames in order and
	 * sends SyncStep2 only in answer to SyncStep1, so the answer means every frame before it was
	 * processed. Null when the socket closed instead.
	 */
	async barrier(): Promise<Closed | null> {
		await Promise.race([this.opened.catch(() => {}), this.ended]);
		if (this.closed) return this.closed;
		const sv = await this.serverStateVector().catch(() => null);
		if (!sv) return this.closed;
		// Closing already (the server's close frame is in, its close event not yet): wait for it.
		if (this.ws.readyState !== WebSocket.OPEN) return this.ended;
		this.send(updateFrame(sv, P.SYNC_STEP1));
		const expected = this.step1Sent;
		while (!this.closed && this.countStep2() < expected) await this.next();
		return this.closed;
	}

	private step1Sent = 0;

	private countStep2() {
		return this.received.filter((m) => m[0] === P.MSG_SYNC && m[1] === P.SYNC_STEP2).length;
	}

	/** The first SyncStep1 payload (the server's state vector) after opening. */
	async serverStateVector(): Promise<Uint8Array> {
		for (;;) {
			for (const m of this.received) {
				const d = decoding.createDecoder(m);
				if (decoding.readVarUint(d) === P.MSG_SYNC && decoding.readVarUint(d) === P.SYNC_STEP1)
					return decoding.readVarUint8Array(d);
			}
			if (this.closed) throw new Error(`closed ${this.closed.code} before sync`);
			await this.next();
		}
	}

	close() {
		this.ws.terminate();
	}
}

/** A sync frame (type 0) carrying an update as SyncStep2 or Update. */
export function updateFrame(update: Uint8Array, sub: number = P.SYNC_UPDATE): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, P.MSG_SYNC);
	encoding.writeVarUint(e, sub);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

/** An awareness frame (type 1) with hand-made entries. */
export function awarenessFrame(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, entries.length);
	for (const { clientId, clock, state } of entries) {
		encoding.writeVarUint(inner, clientId);
		encoding.writeVarUint(inner, clock);
		encoding.writeVarString(inner, JSON.stringify(state));
	}
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, P.MSG_AWARENESS);
	encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
	return encoding.toUint8Array(e);
}
