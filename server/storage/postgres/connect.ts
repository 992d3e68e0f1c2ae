import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

const MIGRATIONS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../drizzle/pg');

/** A connection pool of the `postgres` driver, as the PostgreSQL adapter uses it. */
export type Pg = postgres.Sql;

/**
 * Connects to a PostgreSQL URL (postgres://…). bigint (int8) columns — times in ms, seqs,
 * clientIDs, counts — come back as JS numbers, not strings: every such value here is below 2⁵³.
 */
export function connectPostgres(url: string, options: { max?: number; connectTimeoutSec?: number } = {}): Pg {
	return postgres(url, {
		max: options.max ?? 10,
		connect_timeout: options.connectTimeoutSec ?? 30,
		// "schema drizzle already exists, skipping" and the like, on every migration: not news.
		onnotice: () => {},
		types: {
			int8: { to: 20, from: [20], serialize: (n: number) => String(n), parse: (s: string) => Number(s) }
		}
	}) as unknown as Pg;
}

/** Brings the database up to date with drizzle/pg/ (drizzle's postgres-js migrator). */
export async function migratePostgres(sql: Pg): Promise<void> {
	await migrate(drizzle(sql), { migrationsFolder: MIGRATIONS });
}

/** Connects to a PostgreSQL URL and migrates it. */
export async function openPostgres(url: string, options?: { max?: number; connectTimeoutSec?: number }): Promise<Pg> {
	const sql = connectPostgres(url, options);
	try {
		await migratePostgres(sql);
	} catch (err) {
		await sql.end({ timeout: 1 });
		throw err;
	}
	return sql;
}
