import type { Checkpoint, LoadedLog, LogEntry, LogRange, LogRow, UpdateLog } from '../update-log';
import type { SqliteLogStatements } from './log-statements';
import type { OneAtATime } from './one-at-a-time';

/**
 * The update-log port on SQLite: better-sqlite3's synchronous statements, each write run in its turn
 * (after any transaction open in front of it). With nothing in front, a write is done before the
 * call returns; either way the calls take effect in the order they were made.
 */
export class SqliteUpdateLog implements UpdateLog {
	constructor(
		private readonly statements: SqliteLogStatements,
		private readonly turn: OneAtATime
	) {}

	load(doc: string): Promise<LoadedLog> {
		return this.read(() => this.statements.load(doc));
	}

	loadCheckpoint(doc: string, atOrBelow?: number): Promise<Checkpoint | null> {
		return this.read(() => this.statements.loadCheckpoint(doc, atOrBelow));
	}

	readRange(doc: string, range?: LogRange): Promise<LogEntry[]> {
		return this.read(() => this.statements.readRange(doc, range));
	}

	lastSeq(doc: string): Promise<number> {
		return this.read(() => this.statements.lastSeq(doc));
	}

	readClients(doc: string): Promise<Map<number, string>> {
		return this.read(() => this.statements.readClients(doc));
	}

	/**
	 * Reads do not wait for their turn: on the one connection they see what is committed and,
	 * inside an open transaction, its own writes (a decision that loads a document it is
	 * changing). Waiting would deadlock a transaction that reads the log.
	 */
	private async read<T>(work: () => T): Promise<T> {
		return work();
	}

	append(rows: readonly LogRow[]): Promise<void> {
		return this.turn.run(() => this.statements.append(rows));
	}

	bindClient(doc: string, clientId: number, actor: string): Promise<void> {
		return this.turn.run(() => this.statements.bindClient(doc, clientId, actor));
	}

	saveCheckpoint(doc: string, seq: number, state: Uint8Array, at: number): Promise<void> {
		return this.turn.run(() => this.statements.saveCheckpoint(doc, seq, state, at));
	}
}
