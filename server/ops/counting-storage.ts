import type { LogRow, StoragePort, StoreTx, UpdateLog, UpdateLogWriter } from '../storage/update-log';
import type { SyncMetrics } from './metrics';

/**
 * The storage port, counting every update row it appends for `parley_updates_appended_total`:
 * appends on the log (the client write batch) once they are stored, appends inside a transaction
 * (a decision's outbox) once it committed. A batch that fails and is stored again row by row
 * counts only the rows stored. Wired from outside server/sync on purpose (see ./metrics.ts).
 */
export class CountingStorage implements StoragePort {
	readonly dialect: StoragePort['dialect'];
	readonly log: UpdateLog;

	constructor(
		private readonly inner: StoragePort,
		private readonly metrics: SyncMetrics
	) {
		this.dialect = inner.dialect;
		const log = inner.log;
		this.log = {
			load: (doc) => log.load(doc),
			loadCheckpoint: (doc, atOrBelow) => log.loadCheckpoint(doc, atOrBelow),
			readRange: (doc, range) => log.readRange(doc, range),
			lastSeq: (doc) => log.lastSeq(doc),
			readClients: (doc) => log.readClients(doc),
			bindClient: (doc, clientId, actor) => log.bindClient(doc, clientId, actor),
			saveCheckpoint: (doc, seq, state, at) => log.saveCheckpoint(doc, seq, state, at),
			append: (rows) => log.append(rows).then(() => metrics.updatesAppended(rows.length))
		};
	}

	get facts() {
		return this.inner.facts;
	}

	async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
		let appended = 0;
		const result = await this.inner.transaction((tx) => fn(countingTx(tx, (n) => (appended += n))));
		if (appended > 0) this.metrics.updatesAppended(appended);
		return result;
	}

	close(): Promise<void> {
		return this.inner.close();
	}
}

/** The transaction with its log's appends counted (told to the metrics only after the commit). */
function countingTx(tx: StoreTx, count: (rows: number) => void): StoreTx {
	const log: UpdateLogWriter = {
		append: async (rows: readonly LogRow[]) => {
			await tx.log.append(rows);
			count(rows.length);
		},
		bindClient: (doc, clientId, actor) => tx.log.bindClient(doc, clientId, actor),
		saveCheckpoint: (doc, seq, state, at) => tx.log.saveCheckpoint(doc, seq, state, at)
	};
	return { log, facts: tx.facts, run: (query) => tx.run(query), all: (query) => tx.all(query) };
}
