import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../server/app-server';
import { createTestDatabase, sayWhyPostgresIsSkipped, TEST_POSTGRES } from '../helpers/postgres';

// B5: REDIS_URL is checked at start (what README "Scaling out" says about the start order).
sayWhyPostgresIsSkipped();

describe('[B5] starting with REDIS_URL', () => {
	it('[B5 start] on SQLite, REDIS_URL stops the start with a clear reason', async () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'parley-start-'));
		try {
			await expect(startServer({ port: 0, host: '127.0.0.1', dataDir, silent: true, redisUrl: 'redis://127.0.0.1:1' })).rejects.toThrow(
				/REDIS_URL is set, but the database is SQLite/
			);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});

	it.skipIf(!TEST_POSTGRES)('[B5 start] a Redis that does not answer stops the start, naming it without its password', async () => {
		const db = await createTestDatabase();
		try {
			const start = startServer({ port: 0, host: '127.0.0.1', databaseUrl: db.url, silent: true, redisUrl: 'redis://user:hunter2@127.0.0.1:1' });
			await expect(start).rejects.toThrow(/Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:1\/? cannot be reached/);
			await expect(start.catch((e: Error) => e.message)).resolves.not.toMatch(/hunter2/);
		} finally {
			await db.drop();
		}
	});
});
