import type Database from 'better-sqlite3';
import { UpdateLog } from '../sync/update-log';
import type { SyncMetrics } from './metrics';

/**
 * The update log, counting every row it writes for `parley_updates_appended_total`: every append
 * (alone, with its clientIDs, or in a batch) goes through `append`. A batch that fails and is
 * stored again row by row counts its rows twice (the failure itself is logged). Wired from outside
 * server/sync on purpose; see the TODO in ./metrics.ts.
 */
export class CountingUpdateLog extends UpdateLog {
	constructor(
		sqlite: Database.Database,
		private readonly metrics: SyncMetrics
	) {
		super(sqlite);
	}

	override append(doc: string, seq: number, update: Uint8Array, actor: string, at: number): void {
		super.append(doc, seq, update, actor, at);
		this.metrics.updatesAppended(1);
	}
}
