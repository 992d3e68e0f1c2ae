import { resolve } from 'node:path';
import type Database from 'better-sqlite3';
import { openStore } from '../db/client';
import { openPostgresStorage } from './postgres/storage';
import { SqliteStorage } from './sqlite/storage';
import type { StoragePort } from './update-log';

/** The store the server runs on, and what only one kind of store has. */
export interface OpenedStorage {
	port: StoragePort;
	/** Where it is, for the start-up log line (a PostgreSQL URL without its password). */
	where: string;
	/** Beside which file per-install secrets are kept (the SQLite file, or one in DATA_DIR). */
	secretBeside: string;
	/** SQLite only: the connection (its write-ahead log is checkpointed on its own thread). */
	sqlite?: { connection: Database.Database; file: string };
}

export const isPostgresUrl = (url: string | undefined): boolean => !!url && /^postgres(ql)?:\/\//.test(url);

/**
 * DATABASE_URL=postgres://… (or postgresql://…) opens PostgreSQL (migrated on start); any other
 * value is a SQLite file path or file: URL; without it, `<DATA_DIR>/parley.db`.
 */
export async function openStorage(where: { databaseUrl?: string; dataDir?: string }): Promise<OpenedStorage> {
	const dataDir = where.dataDir ?? 'data';
	if (isPostgresUrl(where.databaseUrl)) {
		const port = await openPostgresStorage(where.databaseUrl!);
		return { port, where: withoutPassword(where.databaseUrl!), secretBeside: resolve(dataDir, 'parley-postgres') };
	}
	const file = where.databaseUrl ? resolve(where.databaseUrl.replace(/^file:/, '')) : resolve(dataDir, 'parley.db');
	const store = openStore(file);
	return { port: new SqliteStorage(store.sqlite, true), where: file, secretBeside: file, sqlite: { connection: store.sqlite, file } };
}

function withoutPassword(url: string): string {
	const u = new URL(url);
	if (u.password) u.password = '***';
	return u.toString();
}
