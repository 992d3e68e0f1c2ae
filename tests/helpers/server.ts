import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app-server';
import type { ChatLimits } from '../../server/services/chats/chat-limits';
import type { SyncLimits } from '../../server/sync/limits';
import type { SQL } from 'drizzle-orm';
import { createTestDatabase, type TestDatabase } from './postgres';

/**
 * Which store the test servers run on: SQLite files by default; PostgreSQL when the suites run as
 * vitest's `postgres` project (PARLEY_TEST_STORE=postgres, with PARLEY_TEST_POSTGRES naming the
 * server), each server on a database of its own.
 */
export const TEST_STORE: 'sqlite' | 'postgres' = process.env.PARLEY_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/**
 * Chat-creation limits for tests and benchmarks, which start many chats from 127.0.0.1 with few
 * emails: far above anything they do. The defaults (README "Limits") stay for real servers; the
 * tests of the limits themselves pass their own.
 */
export const GENEROUS_CHAT_LIMITS: ChatLimits = {
	perAddress: 1_000_000,
	perEmail: 1_000_000,
	windowMs: 60_000,
	globalPerMinute: 1_000_000,
	waitingPerAddress: 1_000_000
};

type TestServerOptions = Pick<
	ServerOptions,
	'graceMs' | 'now' | 'chatLimits' | 'loginLimits' | 'trustProxy' | 'metrics' | 'logLevel' | 'logDestination'
> & {
	/** A restart: the data of a stopped server (its `dataDir`, and on PostgreSQL its `databaseUrl`). */
	dataDir?: string;
	databaseUrl?: string;
	syncLimits?: Partial<SyncLimits>;
	/**
	 * B8: the queue job's period and give-up time. Tests run it once an hour unless they ask: a
	 * job writing documents on its own would change the database under tests that compare it.
	 */
	queue?: ServerOptions['queue'];
	/** B8: SMTP_URL and MAIL_FROM (an smtp-server on port 0: tests/helpers/smtp.ts). */
	mail?: ServerOptions['mail'];
};

/**
 * A real server on port 0 with a fresh store (a SQLite file, or a PostgreSQL database: see
 * TEST_STORE), seeded with the demo organisation. Silent unless the test asks for a log level,
 * or LOG_LEVEL is set when the tests run.
 */
export async function startTestServer(opts: TestServerOptions = {}) {
	const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
	let database: TestDatabase | null = null;
	let databaseUrl = opts.databaseUrl;
	if (TEST_STORE === 'postgres' && !databaseUrl) {
		database = await createTestDatabase();
		databaseUrl = database.url;
	}
	const server: RunningServer = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		databaseUrl,
		silent: process.env.LOG_LEVEL === undefined,
		logLevel: opts.logLevel,
		logDestination: opts.logDestination,
		metrics: opts.metrics,
		graceMs: opts.graceMs ?? 200,
		now: opts.now,
		syncLimits: opts.syncLimits,
		chatLimits: opts.chatLimits ?? GENEROUS_CHAT_LIMITS,
		loginLimits: opts.loginLimits,
		trustProxy: opts.trustProxy,
		queue: { refreshMs: 3_600_000, ...opts.queue },
		mail: opts.mail ?? { smtpUrl: null }
	});
	return {
		...server,
		dataDir,
		/** The PostgreSQL database the server runs on (undefined on SQLite). */
		databaseUrl,
		/** A query's rows, on whichever store the server runs (a drizzle `sql` template). */
		rows: <T = any>(query: SQL) => server.storage.facts.all<T>(query),
		/** A query's first row. */
		row: async <T = any>(query: SQL) => (await server.storage.facts.all<T>(query))[0],
		/** Stops the server; the data stays for a restart unless `wipe`. */
		async stop(wipe = true) {
			await server.close();
			if (!wipe) return;
			rmSync(dataDir, { recursive: true, force: true });
			if (database) await database.drop();
			else if (databaseUrl && TEST_STORE === 'postgres') await dropByUrl(databaseUrl);
		}
	};
}
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

/** Polls until the assertion passes (instead of sleeping), or throws its last error. */
export async function eventually<T>(fn: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
	const start = Date.now();
	let last: unknown;
	while (Date.now() - start < timeoutMs) {
		try {
			return await fn();
		} catch (err) {
			last = err;
			await new Promise((r) => setTimeout(r, 20));
		}
	}
	throw last;
}

/** Drops a test database made by an earlier start (a restarted server's). */
async function dropByUrl(url: string) {
	const name = new URL(url).pathname.slice(1);
	const base = process.env.PARLEY_TEST_POSTGRES;
	if (!base || !/^parley_test_/.test(name)) return;
	const { default: postgres } = await import('postgres');
	const admin = postgres(base, { max: 1, onnotice: () => {} });
	try {
		await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
	} finally {
		await admin.end({ timeout: 5 });
	}
}
