import type { LogRow, UpdateLog } from './update-log';

/** What the batch needs of a document with a checked client update waiting. */
export interface PendingWriter {
	pendingRow(): LogRow;
	commitPending(): void;
	failPending(err: unknown): void;
}

/**
 * Checked client updates of one event-loop turn: appended to the log in ONE transaction when the
 * turn's I/O is done (setImmediate), and only then applied and broadcast — durable before anyone
 * can see them. At most one update per document waits (a second one for the same document
 * commits the batch first), so every update is checked against the state it will be applied to.
 */
export class ClientWriteBatch {
	private queue: PendingWriter[] = [];
	private scheduled = false;

	constructor(private readonly log: UpdateLog) {}

	add(live: PendingWriter) {
		this.queue.push(live);
		if (!this.scheduled) {
			this.scheduled = true;
			setImmediate(this.onTurnEnd);
		}
	}

	private readonly onTurnEnd = () => {
		this.scheduled = false;
		this.flush();
	};

	/** Commits what waits (one transaction), then applies and broadcasts it. */
	flush() {
		while (this.queue.length > 0) {
			const docs = this.queue;
			this.queue = [];
			const rows = docs.map((live) => live.pendingRow());
			try {
				this.log.appendAll(rows);
			} catch {
				// Something in the batch could not be stored: store each alone, so only its own
				// writer is refused (1011: it keeps the update and re-sends it when it reconnects).
				docs.forEach((live, i) => {
					try {
						this.log.appendAll([rows[i]]);
					} catch (err) {
						return live.failPending(err);
					}
					live.commitPending();
				});
				continue;
			}
			for (const live of docs) live.commitPending();
		}
	}
}
