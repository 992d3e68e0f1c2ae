import { warnOnError, type ErrorSink } from './error-sink';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** SQLite's own default: checkpoint when the write-ahead log passes 1,000 pages. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1000;

/**
 * Moves WAL checkpoints off the server's thread. With automatic checkpoints, the commit that
 * pushes the log past 1,000 pages copies them into the database file and fsyncs it before it
 * returns — a stall of several to tens of milliseconds for every live document on this thread.
 * Here a worker thread with its own connection runs PASSIVE checkpoints every `everyMs` (they
 * never block the server's readers or writers), and the server's connection checkpoints nothing
 * itself. Commits are exactly as durable as before (WAL, synchronous = NORMAL). If the worker
 * fails, automatic checkpoints come back on the server's connection.
 */
export function startWalCheckpointer(sqlite: Database.Database, file: string, onError: ErrorSink = warnOnError, everyMs = 500) {
	let stopping = false;
	let worker: Worker | null = null;
	const fallBack = (why: unknown) => {
		if (stopping || !sqlite.open) return;
		onError('WAL checkpointer stopped; the server thread checkpoints again', why);
		sqlite.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
		worker = null;
	};
	try {
		worker = new Worker(new URL('./wal-checkpointer.cjs', import.meta.url), { workerData: { file, everyMs } });
	} catch (err) {
		onError('WAL checkpointer could not start; the server thread checkpoints', err);
		return { stop: async () => undefined };
	}
	sqlite.pragma('wal_autocheckpoint = 0');
	worker.unref();
	worker.on('message', (msg: { type: string; message?: string }) => {
		if (msg?.type === 'error') onError('WAL checkpoint failed', msg.message);
	});
	worker.on('error', (err) => fallBack(err));
	worker.on('exit', (code) => fallBack(`exit ${code}`));
	return {
		/** A last checkpoint, then the worker ends (call before closing the database). */
		async stop() {
			const w = worker;
			stopping = true;
			worker = null;
			if (!w) return;
			const exited = new Promise<void>((ok) => w.once('exit', () => ok()));
			w.postMessage({ type: 'stop' });
			let timer: NodeJS.Timeout | undefined;
			await Promise.race([exited, new Promise<void>((ok) => (timer = setTimeout(ok, 3000)))]);
			clearTimeout(timer);
			await w.terminate();
		}
	};
}
