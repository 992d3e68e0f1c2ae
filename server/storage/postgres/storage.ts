import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { StoragePort, StoreTx, UpdateLogWriter } from '../update-log';
import { openPostgres, type Pg } from './connect';
import { PostgresUpdateLog, pgLogWriter } from './update-log';

const dialect = new PgDialect();

/** The storage port on PostgreSQL (the `postgres` driver's pool). */
export class PostgresStorage implements StoragePort {
	readonly dialect = 'postgres';
	readonly log: PostgresUpdateLog;

	/** On a pool the caller opened and migrated (./connect.ts openPostgres); `close` ends it. */
	constructor(readonly sql: Pg) {
		this.log = new PostgresUpdateLog(sql);
	}

	/**
	 * `sql.begin`: one connection of the pool, BEGIN … COMMIT, ROLLBACK when `fn` throws. Read
	 * committed: a conditional UPDATE that another transaction changed under it waits for that
	 * one to end and then sees its result (20 accepts at once: one winner).
	 */
	async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
		return (await this.sql.begin(async (raw) => {
			const tx = new PgTx(raw);
			try {
				return await fn(tx);
			} finally {
				tx.end();
			}
		})) as T;
	}

	async close(): Promise<void> {
		await this.sql.end({ timeout: 5 });
	}
}

/** The transaction's view: the log's statements and plain SQL, refused once it has ended. */
class PgTx implements StoreTx {
	private open = true;
	readonly log: UpdateLogWriter;

	constructor(private readonly raw: postgres.TransactionSql) {
		const writer = pgLogWriter(raw, true);
		this.log = {
			append: (rows) => this.use(() => writer.append(rows)),
			bindClient: (doc, clientId, actor) => this.use(() => writer.bindClient(doc, clientId, actor)),
			saveCheckpoint: (doc, seq, state, at) => this.use(() => writer.saveCheckpoint(doc, seq, state, at))
		};
	}

	end() {
		this.open = false;
	}

	private async use<T>(work: () => Promise<T>): Promise<T> {
		if (!this.open) throw new Error('the transaction has ended');
		return work();
	}

	async run(query: SQL): Promise<number> {
		const q = dialect.sqlToQuery(query);
		return this.use(async () => (await this.raw.unsafe(q.sql, q.params as never[])).count);
	}

	async all<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
		const q = dialect.sqlToQuery(query);
		return this.use(async () => [...(await this.raw.unsafe(q.sql, q.params as never[]))] as T[]);
	}
}

/** Opens (and migrates) a PostgreSQL database behind the port. */
export async function openPostgresStorage(url: string, options?: { max?: number }): Promise<PostgresStorage> {
	return new PostgresStorage(await openPostgres(url, options));
}
