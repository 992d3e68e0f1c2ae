import { afterAll, beforeAll, describe } from 'vitest';
import { openPostgresStorage } from '../../server/storage/postgres/storage';
import { createTestDatabase, sayWhyPostgresIsSkipped, TEST_POSTGRES, type TestDatabase } from '../helpers/postgres';
import { updateLogContract } from './update-log.contract';

// The storage contract on PostgreSQL (PARLEY_TEST_POSTGRES): one database for the file, made
// and migrated before and dropped after; every test uses names of its own in it.
sayWhyPostgresIsSkipped();

describe.skipIf(!TEST_POSTGRES)('storage contract: PostgreSQL', () => {
	let db: TestDatabase;
	beforeAll(async () => {
		db = await createTestDatabase();
		await (await openPostgresStorage(db.url)).close(); // migrated once, before the tests
	});
	afterAll(async () => {
		await db?.drop();
	});

	const open = () => openPostgresStorage(db.url);
	updateLogContract({ open, reopen: open, another: open });
});
