import { getTableName, is, Table } from 'drizzle-orm';
import { getTableConfig, type PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../server/storage/postgres/schema';
import { connectPostgres } from '../../server/storage/postgres/connect';
import { openPostgresStorage } from '../../server/storage/postgres/storage';
import { migratedDatabaseForSuite, sayWhyPostgresIsSkipped, TEST_POSTGRES } from '../helpers/postgres';
import { updateLogContract } from './update-log.contract';

// The storage contract on PostgreSQL (PARLEY_TEST_POSTGRES): one database for the file, made
// and migrated before and dropped after; every test uses names of its own in it.
sayWhyPostgresIsSkipped();

describe.skipIf(!TEST_POSTGRES)('PostgreSQL', () => {
	const database = migratedDatabaseForSuite();

	describe('storage contract', () => {
		const open = () => openPostgresStorage(database().url);
		updateLogContract({ open, reopen: open, another: open });
	});

	it('[B5] the migrations in drizzle/pg/ build exactly the schema (columns, types, nullability, indexes)', async () => {
		const sql = connectPostgres(database().url, { max: 1 });
		try {
			for (const table of Object.values(schema).filter((t) => is(t, Table)) as PgTable[]) {
				const config = getTableConfig(table);
				const name = getTableName(table);
				const columns = await sql<{ column_name: string; data_type: string; is_nullable: string }[]>`
					SELECT column_name, data_type, is_nullable FROM information_schema.columns
					WHERE table_schema = 'public' AND table_name = ${name}`;
				const stored = columns.map((c) => `${c.column_name} ${c.data_type} ${c.is_nullable === 'NO' ? 'not null' : 'null'}`);
				const declared = config.columns.map((c) => `${c.name} ${c.getSQLType()} ${c.notNull ? 'not null' : 'null'}`);
				expect(stored.sort()).toEqual(declared.sort());
				const indexes = await sql<{ indexname: string }[]>`SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = ${name}`;
				const names = indexes.map((i) => i.indexname);
				for (const index of config.indexes) expect(names).toContain(index.config.name);
			}
		} finally {
			await sql.end();
		}
	});
});
