import type { SQL } from 'drizzle-orm';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { PostgresJsQueryResultHKT } from 'drizzle-orm/postgres-js';
import type * as pgTables from './postgres/schema';

// The relational-facts port: what the services query and change (chats, offers, requests,
// sessions, audit events…), on either store. One drizzle query builder for both: the services
// write `ctx.store.db.select().from(ctx.store.t.chats)…`, and the store hands them its own
// dialect's database and tables (server/db/schema.ts on SQLite, ./postgres/schema.ts on
// PostgreSQL — mirrors of each other, column for column, tests/storage/schema-mirror.test.ts).
// It is typed as PostgreSQL's: what type-checks there and avoids the few dialect-only calls
// (below) runs on both, and the integration suites run on both.
//
// Rules that keep a query portable:
// - await every query; never `.get()`, `.all()`, `.run()` (SQLite only) — take `[0]` of a
//   `.limit(1)` select instead;
// - where the number of changed rows matters (a conditional update), ask for `.returning(...)`
//   and count the rows (the drivers report it differently);
// - raw SQL only through `all`/`run` below, and only what both dialects read alike.

/** The tables, as the services name them (`t.chats`, `t.users`…). */
export type Tables = typeof pgTables;
/** The query builder of the store (or of the open transaction). */
export type FactsDb = PgDatabase<PostgresJsQueryResultHKT, Tables>;

/** The facts of one store, outside or inside a transaction. */
export interface Facts {
	readonly dialect: 'sqlite' | 'postgres';
	db: FactsDb;
	t: Tables;
	/** A raw query's rows (column names as the query names them). */
	all<T = Record<string, unknown>>(query: SQL): Promise<T[]>;
	/** A raw statement; resolves to the number of rows it changed. */
	run(query: SQL): Promise<number>;
}
