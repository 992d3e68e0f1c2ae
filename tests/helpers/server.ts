import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app-server';
import type { ChatLimits } from '../../server/services/chats/chat-limits';
import type { SyncLimits } from '../../server/sync/limits';

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
> & { dataDir?: string; syncLimits?: Partial<SyncLimits> };

/**
 * A real server on port 0 with a fresh SQLite file (seeded with the demo organisation). Silent
 * unless the test asks for a log level, or LOG_LEVEL is set when the tests run.
 */
export async function startTestServer(opts: TestServerOptions = {}) {
	const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
	const server: RunningServer = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		silent: process.env.LOG_LEVEL === undefined,
		logLevel: opts.logLevel,
		logDestination: opts.logDestination,
		metrics: opts.metrics,
		graceMs: opts.graceMs ?? 200,
		now: opts.now,
		syncLimits: opts.syncLimits,
		chatLimits: opts.chatLimits ?? GENEROUS_CHAT_LIMITS,
		loginLimits: opts.loginLimits,
		trustProxy: opts.trustProxy
	});
	return {
		...server,
		dataDir,
		/** Stops the server; the data stays for a restart unless `wipe`. */
		async stop(wipe = true) {
			await server.close();
			if (wipe) rmSync(dataDir, { recursive: true, force: true });
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
