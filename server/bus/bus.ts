// The fan-out port (issue 13, B5): what one Parley instance tells the others. The server opens it
// with REDIS_URL (./open.ts; server/sync/fan-out.ts uses it). Adapters: ./memory.ts (in-process:
// tests that run several instances in one process), ./redis.ts (several instances). One contract
// suite (tests/bus/) runs against both.
//
// What it carries:
// - document updates, published after the PostgreSQL append with their per-document seq, so that
//   an instance holding that document applies them and sends them to its own clients;
// - socket actions that must happen on every instance (a leaver's or a signed-out session's
//   sockets closed wherever they are);
// - offers, banners and withdrawals for an agent connected to another instance.
//
// The bus is not the truth, the database is: a message may be lost (Redis pub/sub drops what is
// published while a subscriber is disconnected, or lags too far). Receivers detect a gap in a
// document's seq, or are told by `onReconnect` that they were cut off, and read what they missed
// from the database. So the port promises only this: while connected, every message published on
// a channel reaches every subscriber of that channel (on every instance, the publisher's own
// included), in the order each publisher published it on that channel, byte for byte.

/** Receives one message; it is the same bytes for every subscriber, so treat it as read-only. */
export type BusListener = (message: Uint8Array) => void;

/** Stops one subscription; resolves when no more of its messages will arrive. */
export type Unsubscribe = () => Promise<void>;

export interface Bus {
	/**
	 * Sends `message` to every subscriber of `channel`. Resolves when the bus has taken it (the
	 * caller may reuse its buffer then); rejects when the bus cannot be reached — the caller logs
	 * and goes on, since the database already holds what matters and receivers fill the gap.
	 */
	publish(channel: string, message: Uint8Array): Promise<void>;

	/**
	 * Calls `onMessage` for each message on `channel` from now on. Resolves once the subscription
	 * is in place, so a caller can subscribe first and then read the database without missing
	 * anything published in between. Several subscriptions to one channel may coexist.
	 */
	subscribe(channel: string, onMessage: BusListener): Promise<Unsubscribe>;

	/**
	 * Calls `listener` each time this instance was cut off from the bus and is connected again,
	 * with its subscriptions back in place: messages published meanwhile may be lost, so every
	 * subscriber catches up from the database (each document from its last applied seq).
	 * Returns a function that removes the listener.
	 */
	onReconnect(listener: () => void): () => void;

	/** Ends every subscription and connection; later publishes and subscribes reject. Idempotent. */
	close(): Promise<void>;
}

/** Where an adapter reports a listener that threw (the other listeners still get the message). */
export type BusErrorReporter = (err: unknown) => void;

export const reportToConsole: BusErrorReporter = (err) => console.error('bus listener failed', err);

/** The error a closed bus rejects with. */
export class BusClosedError extends Error {
	constructor() {
		super('the bus is closed');
		this.name = 'BusClosedError';
	}
}
