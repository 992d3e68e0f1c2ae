import type { UpdateLog } from '../storage/update-log';
import type { ErrorSink } from './error-sink';

// B5 (issue 13): several instances append to one document's log. The database assigns nothing
// by itself: each instance names the next seq it knows of, and the log's (doc, seq) key lets
// exactly one writer have it (SeqTakenError for the others, tests/storage "racing appends").
// The loser reads what the others appended (this file), applies it, and appends again after
// it. So a document's seqs are the database's order, every instance applies the rows in that
// order, and nothing stored is ever renumbered or reordered. Rows reach an instance three ways,
// all through here: published on the bus (fast path), read from the log on a gap, a lost
// publish (periodic check), a reconnect to the bus, or a taken seq (the slow paths).

/** An update another instance appended: its seq, bytes, and the clientID owners it may bring. */
export interface RemoteRow {
	seq: number;
	update: Uint8Array;
	/** ClientID → owner bound with it (or a document's whole table, read with the rows). */
	owners: Iterable<readonly [number, string]>;
}

/** What catching up needs of a document. */
export interface CatchingDoc {
	readonly name: string;
	/** The seq of the last row applied here. */
	readonly seq: number;
	/** False while a decision holds it or an own append is in flight: rows wait until it settles. */
	readonly canApplyRemote: boolean;
	applyRemote(row: RemoteRow): void;
}

/** Rows kept ahead of a gap at most; past that the log is read instead (a burst never grows without end). */
const MAX_AHEAD = 10_000;
/**
 * How long a gap may stay open before the log is read: rows of two instances cross on the bus,
 * so a missing one is usually a few milliseconds behind the next (a lost one is read after this).
 */
const GAP_WAIT_MS = 50;

/**
 * The rows of one document that other instances appended: kept by seq, applied strictly in seq
 * order once the document can take them, and the log read when one is missing.
 */
export class CatchUp {
	private readonly ahead = new Map<number, RemoteRow>();
	private reading: Promise<void> | null = null;
	private queued: Promise<void> | null = null;
	private gapTimer: NodeJS.Timeout | null = null;

	constructor(
		private readonly doc: CatchingDoc,
		private readonly log: UpdateLog,
		private readonly onError: ErrorSink
	) {}

	/** A row published by another instance: applied now if it is the next one; a gap is read from the log. */
	offer(row: RemoteRow) {
		if (row.seq <= this.doc.seq) return; // ours, or applied already
		if (this.ahead.size < MAX_AHEAD) this.ahead.set(row.seq, row);
		this.applyReady();
		if (this.hasGap()) this.gapSoon();
	}

	/** Rows wait, but not the next one. */
	private hasGap(): boolean {
		return this.ahead.size > 0 && !this.ahead.has(this.doc.seq + 1);
	}

	private gapSoon() {
		if (this.gapTimer) return;
		this.gapTimer = setTimeout(() => {
			this.gapTimer = null;
			if (!this.hasGap()) return;
			this.fromLog().catch((err) => this.onError(`reading a gap in ${this.doc.name} from the log failed`, err));
		}, GAP_WAIT_MS);
		this.gapTimer.unref();
	}

	/** The document is unloaded: nothing more is read or applied. */
	stop() {
		if (this.gapTimer) clearTimeout(this.gapTimer);
		this.gapTimer = null;
		this.ahead.clear();
	}

	/**
	 * Reads what the log holds after our seq and applies it (once the document can take it).
	 * Reads run one at a time; asked during one, one more runs after it (it may have started
	 * before the row the caller knows of was committed). Rejects when the log cannot be read.
	 */
	fromLog(): Promise<void> {
		if (this.queued) return this.queued;
		const start = (): Promise<void> => {
			this.queued = null;
			const reading = this.read().finally(() => {
				if (this.reading === reading) this.reading = null;
			});
			this.reading = reading;
			return reading;
		};
		if (this.reading) return (this.queued = this.reading.then(start, start));
		return start();
	}

	private async read() {
		const name = this.doc.name;
		const rows = await this.log.readRange(name, { after: this.doc.seq });
		if (rows.length === 0) return;
		// Read after the rows: a row's bindings commit with it, so every one it needs is there.
		const owners = await this.log.readClients(name);
		for (const r of rows) if (r.seq > this.doc.seq) this.ahead.set(r.seq, { seq: r.seq, update: r.update, owners });
		this.applyReady();
	}

	/** Applies the rows that follow our seq without a gap, while the document can take them. */
	applyReady() {
		if (this.ahead.size === 0 || !this.doc.canApplyRemote) return;
		for (const seq of this.ahead.keys()) if (seq <= this.doc.seq) this.ahead.delete(seq);
		let next: RemoteRow | undefined;
		while (this.doc.canApplyRemote && (next = this.ahead.get(this.doc.seq + 1))) {
			this.ahead.delete(next.seq);
			this.doc.applyRemote(next);
		}
	}

	/** Rows waiting beyond a gap (tests, metrics). */
	get waiting(): number {
		return this.ahead.size;
	}
}
