import type Database from 'better-sqlite3';
import type { SQL } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { openStore } from '../../db/client';
import * as schema from '../../db/schema';
import type { Facts, FactsDb, Tables } from '../facts';
import type { StoragePort, StoreTx, UpdateLogWriter } from '../update-log';
import { SqliteLogStatements } from './log-statements';
import { OneAtATime } from './one-at-a-time';
import { SqliteUpdateLog } from './update-log';

const dialect = new SQLiteSyncDialect();

/** The storage port on one better-sqlite3 connection (the embedded default). */
export class SqliteStorage implements StoragePort {
	readonly dialect = 'sqlite';
	readonly log: SqliteUpdateLog;
	private readonly statements: SqliteLogStatements;
	private readonly turn = new OneAtATime();
	readonly facts: Facts;
	/** The drizzle database on the connection (the same one inside and outside transactions). */
	private readonly db: FactsDb;

	/**
	 * On a connection opened and migrated by server/db/client.ts openStore. One adapter per
	 * connection (its turns are what keeps transactions apart). `close` closes the connection
	 * only when it is the adapter's own (`owned`).
	 */
	constructor(
		private readonly sqlite: Database.Database,
		private readonly owned = false
	) {
		this.statements = new SqliteLogStatements(sqlite);
		this.log = new SqliteUpdateLog(this.statements, this.turn);
		// The SQLite query builder behind the facts port's PostgreSQL-typed face (see ../facts.ts).
		this.db = drizzle(sqlite, { schema }) as unknown as FactsDb;
		this.facts = {
			dialect: 'sqlite',
			db: this.db,
			t: schema as unknown as Tables,
			all: async (query) => rawAll(sqlite, query),
			// A write outside a transaction still waits for the one in front of it.
			run: (query) => this.turn.run(() => rawRun(sqlite, query))
		};
	}

	/**
	 * BEGIN IMMEDIATE … COMMIT around `fn`, in its turn: no other use of the connection through
	 * this adapter runs until it ends. Code that uses the same connection directly (today's
	 * synchronous services) is not held back: what it runs while `fn` awaits joins the transaction.
	 */
	transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T> {
		return this.turn.run(async () => {
			this.sqlite.exec('BEGIN IMMEDIATE');
			const tx = new SqliteTx(this.sqlite, this.statements, this.db);
			try {
				const result = await fn(tx);
				tx.end();
				this.sqlite.exec('COMMIT');
				return result;
			} catch (err) {
				tx.end();
				if (this.sqlite.inTransaction) this.sqlite.exec('ROLLBACK');
				throw err;
			}
		});
	}

	async close(): Promise<void> {
		await this.turn.run(() => {
			if (this.owned) this.sqlite.close();
		});
	}
}

/** The transaction's view: the log's statements and plain SQL, refused once it has ended. */
class SqliteTx implements StoreTx {
	private open = true;
	readonly log: UpdateLogWriter;
	readonly facts: Facts;

	constructor(
		private readonly sqlite: Database.Database,
		statements: SqliteLogStatements,
		db: FactsDb
	) {
		this.facts = {
			dialect: 'sqlite',
			db,
			t: schema as unknown as Tables,
			all: (query) => this.all(query),
			run: (query) => this.run(query)
		};
		this.log = {
			append: async (rows) => this.use(() => statements.append(rows)),
			bindClient: async (doc, clientId, actor) => this.use(() => statements.bindClient(doc, clientId, actor)),
			saveCheckpoint: async (doc, seq, state, at) => this.use(() => statements.saveCheckpoint(doc, seq, state, at))
		};
	}

	end() {
		this.open = false;
	}

	private use<T>(work: () => T): T {
		if (!this.open) throw new Error('the transaction has ended');
		return work();
	}

	async run(query: SQL): Promise<number> {
		return this.use(() => rawRun(this.sqlite, query));
	}

	async all<T = Record<string, unknown>>(query: SQL): Promise<T[]> {
		return this.use(() => rawAll<T>(this.sqlite, query));
	}
}

function rawRun(sqlite: Database.Database, query: SQL): number {
	const q = dialect.sqlToQuery(query);
	return sqlite.prepare(q.sql).run(...q.params).changes;
}

function rawAll<T = Record<string, unknown>>(sqlite: Database.Database, query: SQL): T[] {
	const q = dialect.sqlToQuery(query);
	return sqlite.prepare(q.sql).all(...q.params) as T[];
}

/** Opens (creating and migrating) a SQLite file behind the port. */
export function openSqliteStorage(file: string): SqliteStorage {
	return new SqliteStorage(openStore(file).sqlite, true);
}
