import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe } from 'vitest';
import { openSqliteStorage } from '../../server/storage/sqlite/storage';
import type { StoragePort } from '../../server/storage/update-log';
import { updateLogContract } from './update-log.contract';

// The storage contract on SQLite: a fresh database file for every test.
describe('storage contract: SQLite', () => {
	const dirs: string[] = [];
	const files = new WeakMap<StoragePort, string>();
	const openFile = (file: string) => {
		const store = openSqliteStorage(file);
		files.set(store, file);
		return store;
	};
	afterAll(() => {
		for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
	});

	updateLogContract({
		open: async () => {
			const dir = mkdtempSync(join(tmpdir(), 'parley-storage-'));
			dirs.push(dir);
			return openFile(join(dir, 'parley.db'));
		},
		reopen: async (old) => openFile(files.get(old)!)
	});
});
