import type { Checkpoint, LoadedLog, LogEntry, LogRange, LogRow, UpdateLog, UpdateLogWriter } from '../update-log';
import type { Pg } from './connect';
import * as s from './log-statements';

/**
 * The log's writes on the pool, or inside a transaction (`inTransaction`). A batch larger than
 * one INSERT takes several statements: on the pool, they get a transaction of their own.
 */
export function pgLogWriter(q: Parameters<typeof s.appendChunk>[0], inTransaction: boolean): UpdateLogWriter {
	return {
		append: async (rows: readonly LogRow[]) => {
			if (rows.length <= s.ROWS_PER_INSERT) return s.appendChunk(q, rows);
			const all = async (tx: typeof q) => {
				for (let i = 0; i < rows.length; i += s.ROWS_PER_INSERT) await s.appendChunk(tx, rows.slice(i, i + s.ROWS_PER_INSERT));
			};
			if (inTransaction) return all(q);
			await (q as Pg).begin(all);
		},
		bindClient: (doc, clientId, actor) => s.bindClient(q, doc, clientId, actor),
		saveCheckpoint: (doc, seq, state, at) => s.saveCheckpoint(q, doc, seq, state, at)
	};
}

/**
 * The update-log port on PostgreSQL. Each call takes a connection of the pool: calls made
 * without awaiting each other run side by side and may commit in any order.
 */
export class PostgresUpdateLog implements UpdateLog {
	private readonly writer: UpdateLogWriter;

	constructor(private readonly sql: Pg) {
		this.writer = pgLogWriter(sql, false);
	}

	load(doc: string): Promise<LoadedLog> {
		return s.load(this.sql, doc);
	}

	loadCheckpoint(doc: string, atOrBelow?: number): Promise<Checkpoint | null> {
		return s.loadCheckpoint(this.sql, doc, atOrBelow);
	}

	readRange(doc: string, range?: LogRange): Promise<LogEntry[]> {
		return s.readRange(this.sql, doc, range);
	}

	lastSeq(doc: string): Promise<number> {
		return s.lastSeq(this.sql, doc);
	}

	readClients(doc: string): Promise<Map<number, string>> {
		return s.readClients(this.sql, doc);
	}

	append(rows: readonly LogRow[]): Promise<void> {
		return this.writer.append(rows);
	}

	bindClient(doc: string, clientId: number, actor: string): Promise<void> {
		return this.writer.bindClient(doc, clientId, actor);
	}

	saveCheckpoint(doc: string, seq: number, state: Uint8Array, at: number): Promise<void> {
		return this.writer.saveCheckpoint(doc, seq, state, at);
	}
}
