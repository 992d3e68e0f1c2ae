import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/postgres-js';
import type { Facts, FactsDb } from '../facts';
import * as schema from './schema';
import type postgres from 'postgres';
import type { StoragePort, StoreTx, UpdateLogWriter } from '../update-log';
import { openPostgres, type Pg } from './connect';
import { PostgresUpdateLog, pgLogWriter } from './update-log';

const dialect = new PgDialect();

/** The storage port on PostgreSQL (the `postgres` driver's pool). */
export class PostgresStorage implements StoragePort {
	readonly dialect = 'postgres';
	readonly log: PostgresUpdateLog;
	readonly facts: Facts;

	/** On a pool the caller opened and migrated (./connect.ts openPostgres); `close` ends it. */
	constructor(readonly sql: Pg) {
		this.log = new PostgresUpdateLog(sql);
		this.db = drizzle(sql, { schema }) as unknown as FactsDb;
		this.facts = { dialect: 'postgres', db: this.db, t: schema, all: (query) => rawAll(sql, query), run: (query) => rawRun(sql, query) };
	}
	private readonly db: FactsDb;

	/**
	 * `sql.begin`: one connection of the pool, BEGIN … COMMIT, ROLLBACK when `fn` throws. Read
	 * committed: a conditional UPDATE that another transaction changed under it waits for that
	 * one to end and then sees its result (20 accepts at once: one winner).
	 */
	async transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
		// drizzle's transaction (BEGIN … COMMIT on one connection of the pool): its query builder
		// for the facts, and the same connection under it for the log's statements.
		return this.db.transaction(async (db) => {
			const tx = new PgTx(connectionOf(db), db);
			try {
				return await fn(tx);
			} finally {
				tx.end();
			}
		});
	}

	async close(): Promise<void> {
		await this.sql.end({ timeout: 5 });
	}
}

/** The transaction's view: the log's statements and plain SQL, refused once it has ended. */
class PgTx implements StoreTx {
	private open = true;
	readonly log: UpdateLogWriter;
	readonly facts: Facts;

	constructor(
		private readonly raw: postgres.TransactionSql,
		db: FactsDb
	) {
		this.facts = { dialect: 'postgres', db, t: schema, all: (query) => this.all(query), run: (query) => this.run(query) };
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
		return this.use(() => rawRun(this.raw, query));
	}

	async all<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
		return this.use(() => rawAll<T>(this.raw, query));
	}
}

type Raw = Pg | postgres.TransactionSql;

/** The driver's transaction under a drizzle transaction (drizzle keeps it as its session's client). */
function connectionOf(db: unknown): postgres.TransactionSql {
	const client = (db as { session?: { client?: postgres.TransactionSql } }).session?.client;
	if (!client) throw new Error('drizzle transaction without its connection (drizzle-orm changed?)');
	return client;
}

async function rawRun(raw: Raw, query: SQL): Promise<number> {
	const q = dialect.sqlToQuery(query);
	return (await raw.unsafe(q.sql, q.params as never[])).count;
}

async function rawAll<T = Record<string, unknown>>(raw: Raw, query: SQL): Promise<T[]> {
	const q = dialect.sqlToQuery(query);
	return [...(await raw.unsafe(q.sql, q.params as never[]))] as T[];
}

/** Opens (and migrates) a PostgreSQL database behind the port. */
export async function openPostgresStorage(url: string, options?: { max?: number }): Promise<PostgresStorage> {
	return new PostgresStorage(await openPostgres(url, options));
}
