import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../server/db/client';
import { openSqliteStorage, type SqliteStorage } from '../../server/storage/sqlite/storage';

/**
 * Fresh, migrated SQLite files for the tests of one file: each call opens a new one in its own
 * temporary folder; all are closed and removed after each test.
 */
export function tempStores(prefix: string): () => Store {
	const opened: { dir: string; store: Store }[] = [];
	afterEach(() => {
		for (const { dir, store } of opened.splice(0)) {
			store.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
	return () => {
		const dir = mkdtempSync(join(tmpdir(), prefix));
		const store = openStore(join(dir, 'parley.db'));
		opened.push({ dir, store });
		return store;
	};
}

/**
 * The same behind the storage port (what the services and the live documents use): each call
 * opens a fresh, migrated SQLite file as a SqliteStorage; all are closed and removed after each test.
 */
export function tempStorages(prefix: string): () => SqliteStorage {
	const opened: { dir: string; storage: SqliteStorage }[] = [];
	afterEach(async () => {
		for (const { dir, storage } of opened.splice(0)) {
			await storage.close();
			rmSync(dir, { recursive: true, force: true });
		}
	});
	return () => {
		const dir = mkdtempSync(join(tmpdir(), prefix));
		const storage = openSqliteStorage(join(dir, 'parley.db'));
		opened.push({ dir, storage });
		return storage;
	};
}
