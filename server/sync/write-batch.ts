import type { LogRow, UpdateLogWriter } from '../storage/update-log';
import { Turns } from './turns';

/** What the batch needs of a document with a checked client update waiting. */
export interface PendingWriter {
	/** The waiting update's row (its seq given now), or null when it has none waiting any more. */
	pendingRow(): LogRow | null;
	commitPending(): void;
	failPending(err: unknown): void;
}

/**
 * Checked client updates of one event-loop turn: appended to the log in ONE call when the turn's
 * I/O is done (setImmediate), and only then applied and broadcast — durable before anyone can see
 * them. Each append takes the registry's turn (`turns`), so it never lands inside a decision's
 * transaction. At most one update per document waits (the next one is checked once it is applied:
 * LiveDoc.afterWrites), so every update is checked against the state it will be applied to.
 */
export class ClientWriteBatch {
	private queue: PendingWriter[] = [];
	private scheduled = false;

	constructor(
		private readonly log: UpdateLogWriter,
		readonly turns: Turns = new Turns()
	) {}

	add(live: PendingWriter) {
		this.queue.push(live);
		this.schedule();
	}

	private schedule() {
		if (this.scheduled) return;
		this.scheduled = true;
		setImmediate(this.onTurnEnd);
	}

	private readonly onTurnEnd = () => {
		this.scheduled = false;
		void this.flush();
	};

	/** Takes the registry's turn and stores what waits. Never rejects (a failure refuses its writers). */
	flush(): Promise<void> {
		if (this.queue.length === 0) return Promise.resolve();
		return this.turns.run(() => this.flushInTurn());
	}

	/**
	 * Stores what waits now (one append), then applies and broadcasts it; for a caller that holds
	 * the turn. What arrives meanwhile waits for a turn of its own (a decision in the queue goes first).
	 */
	async flushInTurn(): Promise<void> {
		const docs = this.queue;
		this.queue = [];
		const rows: LogRow[] = [];
		const writers: PendingWriter[] = [];
		for (const live of docs) {
			const row = live.pendingRow();
			if (row) {
				rows.push(row);
				writers.push(live);
			}
		}
		if (rows.length > 0) await this.store(rows, writers);
		if (this.queue.length > 0) this.schedule();
	}

	/** Stores everything, including what the stored updates let through (closing down). */
	async flushAll(): Promise<void> {
		while (this.queue.length > 0) await this.flushInTurn();
	}

	private async store(rows: LogRow[], writers: PendingWriter[]) {
		try {
			await this.log.append(rows);
		} catch {
			// Something in the batch could not be stored: store each alone, so only its own
			// writer is refused (1011: it keeps the update and re-sends it when it reconnects).
			for (let i = 0; i < rows.length; i++) {
				try {
					await this.log.append([rows[i]]);
				} catch (err) {
					writers[i].failPending(err);
					continue;
				}
				writers[i].commitPending();
			}
			return;
		}
		for (const live of writers) live.commitPending();
	}
}
