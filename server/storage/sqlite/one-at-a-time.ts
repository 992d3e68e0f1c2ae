/**
 * Runs the jobs given to it one after another, in the order given. better-sqlite3 has one
 * connection and no transactions of its own across `await`: while an async transaction is open
 * on it, any other statement on that connection would join it (and be rolled back with it). So
 * every use of the connection by the SQLite adapter goes through here, and waits for the
 * transaction in front of it. With nothing in front, a job starts at once (synchronously): a
 * plain append is in the database when `append()` returns its promise.
 */
export class OneAtATime {
	private tail: Promise<unknown> = Promise.resolve();
	private waiting = 0;

	run<T>(job: () => T | Promise<T>): Promise<T> {
		const go = async () => {
			try {
				return await job();
			} finally {
				this.waiting--;
			}
		};
		const result = this.waiting++ === 0 ? go() : this.tail.then(go);
		this.tail = result.catch(() => undefined);
		return result;
	}
}
