import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// server/main.ts with a bad environment: the start stops (README "Configuration").

describe('[config] starting with a bad setting', () => {
	it('[config] `npm start` stops before opening anything, naming the variable and what it must be', () => {
		const dataDir = mkdtempSync(join(tmpdir(), 'parley-config-'));
		try {
			const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
				cwd: new URL('../..', import.meta.url).pathname,
				env: { ...process.env, DATA_DIR: dataDir, PORT: '0', CHATS_PER_ADDRESS: 'lots', SOURCE_KEY_SECRET: 'too-short-secret' },
				encoding: 'utf8',
				timeout: 30_000
			});
			expect(run.status).toBe(1);
			expect(run.stderr).toContain('Parley did not start: bad configuration:');
			expect(run.stderr).toContain('CHATS_PER_ADDRESS: must be a whole number of at least 1; got "lots"');
			expect(run.stderr).toContain('SOURCE_KEY_SECRET: must be at least 32 characters; got a value of 16 characters');
			expect(run.stderr).not.toContain('too-short-secret');
			expect(readdirSync(dataDir)).toEqual([]);
		} finally {
			rmSync(dataDir, { recursive: true, force: true });
		}
	});
});
