import { sql } from 'drizzle-orm';
import type { StoragePort, StoreTx } from '../storage/update-log';

// B5 (issue 13), step 5: the server's timers (request expiry, the attachment sweep) tick on every
// instance; each tick's work must be done by one of them. On PostgreSQL each tick first takes a
// transaction-scoped advisory lock named after the job, without waiting: the instance that gets it
// works, the others skip this tick (the lock goes with the transaction's end, also when its
// process dies). What one tick leaves is the next tick's, on whichever instance gets the lock.
// SQLite is one instance: always its turn.

/** Whether this instance does this tick's `job` (call inside the transaction that does it). */
export async function ourTurn(tx: StoreTx, dialect: StoragePort['dialect'], job: string): Promise<boolean> {
	if (dialect !== 'postgres') return true;
	const [row] = await tx.all<{ ok: boolean }>(sql`SELECT pg_try_advisory_xact_lock(hashtext(${`parley:${job}`})) AS ok`);
	return row?.ok === true;
}

/**
 * Runs `work` only if no other instance runs `job` now (PostgreSQL: the lock is held, in a
 * transaction of its own, for as long as `work` runs; `work` writes through its own connections).
 * For a job that is not a decision (the attachment sweep). Resolves to whether it ran.
 */
export async function onceAcrossInstances(storage: StoragePort, job: string, work: () => Promise<void>): Promise<boolean> {
	if (storage.dialect !== 'postgres') {
		await work();
		return true;
	}
	return storage.transaction(async (tx) => {
		if (!(await ourTurn(tx, storage.dialect, job))) return false;
		await work();
		return true;
	});
}
