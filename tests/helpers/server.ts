import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../server/app-server';
import type { SyncLimits } from '../../server/sync/limits';

/** A real server on port 0 with a fresh SQLite file (seeded with the demo organisation). */
export async function startTestServer(opts: { dataDir?: string; graceMs?: number; now?: () => number; syncLimits?: Partial<SyncLimits> } = {}) {
	const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'parley-test-'));
	const server: RunningServer = await startServer({
		port: 0,
		host: '127.0.0.1',
		dataDir,
		silent: true,
		graceMs: opts.graceMs ?? 200,
		now: opts.now,
		syncLimits: opts.syncLimits
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
