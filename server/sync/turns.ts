/**
 * One job at a time, in the order asked (an async mutex). The registry's decisions and the client
 * write batch's appends take turns here: a batch append never lands inside a decision's open
 * transaction (on SQLite's one connection it would join it), and a document's seqs are handed out
 * by one writer at a time. With nothing in front, a job starts at once (synchronously).
 */
export class Turns {
	private busy = false;
	private readonly waiting: (() => void)[] = [];

	async run<T>(job: () => Promise<T>): Promise<T> {
		// Handed over without becoming free in between: whoever asks meanwhile queues behind.
		if (this.busy) await new Promise<void>((go) => this.waiting.push(go));
		else this.busy = true;
		try {
			return await job();
		} finally {
			const next = this.waiting.shift();
			if (next) next();
			else this.busy = false;
		}
	}
}
