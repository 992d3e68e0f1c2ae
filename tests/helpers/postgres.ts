import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresStorage } from '../../server/storage/postgres/storage';

/**
 * PostgreSQL for the tests: only when PARLEY_TEST_POSTGRES names a server (a base URL such as
 * postgres://postgres@127.0.0.1:5432/postgres). Each run makes its own database there and drops
 * it afterwards. Without it the PostgreSQL suites are skipped, and say so.
 */
export const TEST_POSTGRES = process.env.PARLEY_TEST_POSTGRES || undefined;

export const POSTGRES_SKIPPED =
	'PostgreSQL suites skipped: PARLEY_TEST_POSTGRES is not set. To run them, point it at a server ' +
	'whose user may create databases, e.g. PARLEY_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres';

/** Prints why a PostgreSQL suite does not run (vitest shows it with the file's output). */
export function sayWhyPostgresIsSkipped(): void {
	if (!TEST_POSTGRES) console.info(POSTGRES_SKIPPED);
}

export interface TestDatabase {
	url: string;
	drop(): Promise<void>;
}

/** A new, empty database on the PARLEY_TEST_POSTGRES server; `drop` removes it. */
export async function createTestDatabase(base = TEST_POSTGRES): Promise<TestDatabase> {
	if (!base) throw new Error(POSTGRES_SKIPPED);
	try {
		return await createDatabase(base, 'parley_test');
	} catch (err) {
		throw new Error(`PARLEY_TEST_POSTGRES=${base} is set, but no test database could be made there: ${(err as Error).message}`, {
			cause: err
		});
	}
}

/**
 * A new, empty database named `<prefix>_<pid>_<random>` on the server at `base` (a URL whose user
 * may create databases); `drop` removes it. The benchmarks make theirs with it too.
 */
export async function createDatabase(base: string, prefix: string): Promise<TestDatabase> {
	const admin = postgres(base, { max: 1, connect_timeout: 10, onnotice: () => {} });
	const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
	try {
		await admin.unsafe(`CREATE DATABASE ${name}`);
	} catch (err) {
		await admin.end({ timeout: 1 });
		throw err;
	}
	const url = new URL(base);
	url.pathname = `/${name}`;
	return {
		url: url.toString(),
		drop: async () => {
			await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
			await admin.end({ timeout: 5 });
		}
	};
}

/**
 * One migrated database for the suite it is called in (made before its tests, dropped after);
 * the returned function gives it to the tests. Call inside a `describe.skipIf(!TEST_POSTGRES)`.
 */
export function migratedDatabaseForSuite(): () => TestDatabase {
	let db: TestDatabase;
	beforeAll(async () => {
		db = await createTestDatabase();
		await (await openPostgresStorage(db.url)).close(); // migrated once, before the tests
	});
	afterAll(async () => {
		await db?.drop();
	});
	return () => db;
}
