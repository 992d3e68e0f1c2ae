// What one connection, session or customer may cost the sync gateway (README "Limits").
// Each limit ends in a documented close code, never in a silently dropped frame: a dropped
// update would be a lost message the client believes was sent.

export interface SyncLimits {
	/** Largest frame the gateway reads; larger ones close with 4413. */
	maxFrameBytes: number;
	/** Hard cap at the WebSocket layer (ws `maxPayload`): beyond it ws itself closes with 1009. */
	hardMaxFrameBytes: number;
	/** Sustained frames per second per connection, and the burst allowed on top (close 4429). */
	framesPerSecond: number;
	frameBurst: number;
	/** Sustained bytes per second per connection, and the burst (one max frame fits; close 4429). */
	bytesPerSecond: number;
	byteBurst: number;
	/**
	 * SyncStep1 requests per connection (each makes the server encode the document): the stock
	 * client sends one per connection. Sustained rate and burst; over it: 4429.
	 */
	stateRequestsPerSecond: number;
	stateRequestBurst: number;
	/** A socket whose unsent backlog exceeds this is dropped (it does not read; it resyncs on reconnect). */
	maxBufferedBytes: number;
	/** Open sockets per signed-in session, and per customer chat token (the next one: 4429). */
	connectionsPerSession: number;
	connectionsPerCustomer: number;
	/** Awareness clientIDs one connection may speak for (the stock client uses one). */
	awarenessIdsPerConnection: number;
	/** How often the sessions behind open sockets are checked again (expiry closes with 4401). */
	sessionCheckMs: number;
	/**
	 * Messages (not frames: one frame can carry many) per connection: sustained rate and burst.
	 * Over it: 4429 and nothing of that update applied. One update larger than the burst (an
	 * offline backlog) is let in when the budget is full, and the budget owes the difference.
	 */
	messagesPerSecond: number;
	messageBurst: number;
	/** The same budget shared by every socket of one chat token (customer) or session, per document. */
	holderMessagesPerSecond: number;
	holderMessageBurst: number;
	/** Most messages one update may add (more: 4400, the update is refused). */
	maxMessagesPerUpdate: number;
	/**
	 * T1: a new message may land before elements its writer could not have seen: received by the
	 * server less than APPEND_WINDOW_MS ago, and not yet sent to that connection or sent less than
	 * `sentGraceMs` ago (still on the wire while the writer typed).
	 */
	sentGraceMs: number;
}

/** How long the server remembers when it received an element, for the append rule (T1). */
export const APPEND_WINDOW_MS = 60_000;

export const DEFAULT_LIMITS: SyncLimits = {
	maxFrameBytes: 256 * 1024,
	hardMaxFrameBytes: 1024 * 1024,
	framesPerSecond: 50,
	frameBurst: 100,
	bytesPerSecond: 256 * 1024,
	byteBurst: 1024 * 1024,
	stateRequestsPerSecond: 1,
	stateRequestBurst: 10,
	maxBufferedBytes: 8 * 1024 * 1024,
	connectionsPerSession: 32,
	connectionsPerCustomer: 8,
	awarenessIdsPerConnection: 8,
	sessionCheckMs: 1000,
	messagesPerSecond: 3,
	messageBurst: 30,
	holderMessagesPerSecond: 5,
	holderMessageBurst: 40,
	maxMessagesPerUpdate: 100,
	sentGraceMs: 10_000
};

/**
 * Message budgets out of the way, for load generators that speak for many people through one
 * token or session (the benchmarks, the fuzz). Never for a server people use.
 */
export const NO_MESSAGE_BUDGET: Partial<SyncLimits> = {
	messagesPerSecond: 1e9,
	messageBurst: 1e9,
	holderMessagesPerSecond: 1e9,
	holderMessageBurst: 1e9
};

/** A token bucket: `take` refuses once more than `burst` was used faster than `rate` per second. */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly rate: number,
		private readonly burst: number,
		now: number
	) {
		this.tokens = burst;
		this.last = now;
	}

	take(amount: number, now: number): boolean {
		this.refill(now);
		if (this.tokens < amount) return false;
		this.tokens -= amount;
		return true;
	}

	/**
	 * Like take, but an amount larger than the burst passes when the bucket is full, leaving a
	 * debt that refills at the rate (one big offline backlog gets in once, then the writer waits).
	 */
	spend(amount: number, now: number): boolean {
		this.refill(now);
		if (this.tokens < Math.min(amount, this.burst)) return false;
		this.tokens -= amount;
		return true;
	}

	/** Whether the bucket is back to its burst (forgetting it then loses nothing). */
	full(now: number): boolean {
		this.refill(now);
		return this.tokens >= this.burst;
	}

	private refill(now: number) {
		const elapsed = Math.max(0, now - this.last) / 1000;
		this.last = now;
		this.tokens = Math.min(this.burst, this.tokens + elapsed * this.rate);
	}
}

/** Message budgets shared by all sockets of one holder on one document, forgotten once full again. */
export class SharedBuckets {
	private readonly buckets = new Map<string, TokenBucket>();

	constructor(
		private readonly rate: number,
		private readonly burst: number
	) {}

	get(key: string, now: number): TokenBucket {
		let bucket = this.buckets.get(key);
		if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(this.rate, this.burst, now)));
		return bucket;
	}

	/** Drops the buckets that are full again (called now and then). */
	sweep(now: number) {
		for (const [key, bucket] of this.buckets) if (bucket.full(now)) this.buckets.delete(key);
	}
}

/** Counts open sockets per holder (a session or a customer's chat token). */
export class ConnectionCounter {
	private readonly counts = new Map<string, number>();

	/** Takes a slot for `key`, or false when it already holds `max`. */
	acquire(key: string, max: number): boolean {
		const n = this.counts.get(key) ?? 0;
		if (n >= max) return false;
		this.counts.set(key, n + 1);
		return true;
	}

	release(key: string) {
		const n = (this.counts.get(key) ?? 0) - 1;
		if (n > 0) this.counts.set(key, n);
		else this.counts.delete(key);
	}

	count(key: string) {
		return this.counts.get(key) ?? 0;
	}
}
