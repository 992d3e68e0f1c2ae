import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openStore, type Store } from '../../server/db/client';

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
