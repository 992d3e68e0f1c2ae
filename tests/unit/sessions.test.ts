import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSession, liveSessionIds, validateSession } from '../../server/auth/sessions';
import { hashToken } from '../../server/auth/tokens';
import type { Facts } from '../../server/storage/facts';
import { openPostgresStorage, type PostgresStorage } from '../../server/storage/postgres/storage';
import { createTestDatabase, sayWhyPostgresIsSkipped, TEST_POSTGRES, type TestDatabase } from '../helpers/postgres';
import { tempStorages } from '../helpers/store';

// Lucia's sliding expiry on a real store, through the prepared lookups: a fresh SQLite file for
// every test, and PostgreSQL (PARLEY_TEST_POSTGRES) on a database of this file's, emptied
// before every test.
const DAY = 24 * 60 * 60 * 1000;
const LIFETIME = 30 * DAY;

/** The tests, on whatever store `empty` hands out (with no users and no sessions in it). */
function sessionTests(empty: () => Promise<Facts>) {
	async function open() {
		const store = await empty();
		await store.db
			.insert(store.t.users)
			.values({ id: 'u1', email: 'u1@example.com', name: 'U One', role: 'agent', passwordHash: 'x', permissions: [], skills: [] });
		return store;
	}
	const expiryOf = async (s: Facts, id: string) => (await s.db.select().from(s.t.sessions).where(eq(s.t.sessions.id, id)))[0]?.expiresAt;

	it('stores only the hash and finds the user by the token', async () => {
		const s = await open();
		const { token, session } = await createSession(s, 'u1', 0, LIFETIME);
		expect(session.id).toBe(hashToken(token));
		expect((await s.db.select().from(s.t.sessions)).map((r) => r.id)).toEqual([hashToken(token)]);
		expect((await validateSession(s, token, DAY, LIFETIME))?.user.email).toBe('u1@example.com');
		expect(await validateSession(s, token + 'x', DAY, LIFETIME)).toBeNull();
	});

	it('slides only in the second half of its life, and deletes an expired session', async () => {
		const s = await open();
		const { token, session } = await createSession(s, 'u1', 0, LIFETIME);
		await validateSession(s, token, 10 * DAY, LIFETIME);
		expect(await expiryOf(s, session.id)).toBe(LIFETIME); // first half: unchanged
		const found = await validateSession(s, token, 20 * DAY, LIFETIME);
		expect(found?.session.expiresAt).toBe(20 * DAY + LIFETIME);
		expect(await expiryOf(s, session.id)).toBe(20 * DAY + LIFETIME); // stored, not only returned
		expect(await validateSession(s, token, 20 * DAY + LIFETIME, LIFETIME)).toBeNull();
		expect(await expiryOf(s, session.id)).toBeUndefined();
	});

	it('tells which of many sessions are live, without sliding any', async () => {
		const s = await open();
		const early: string[] = [];
		for (let i = 0; i < 600; i++) early.push((await createSession(s, 'u1', 0, LIFETIME)).session.id);
		const late: string[] = [];
		for (let i = 0; i < 3; i++) late.push((await createSession(s, 'u1', 10 * DAY, LIFETIME)).session.id);
		const unknown = ['0'.repeat(64), "x') OR 1=1 --"];
		const at = 35 * DAY; // the early ones have expired, the late ones not
		const live = await liveSessionIds(s, [...early, ...late, ...unknown], at);
		expect([...live].sort()).toEqual([...late].sort());
		expect((await liveSessionIds(s, early.slice(0, 550), 29 * DAY)).size).toBe(550);
		expect((await liveSessionIds(s, [], 0)).size).toBe(0);
		expect(await expiryOf(s, late[0])).toBe(10 * DAY + LIFETIME);
	});
}

describe('sessions on SQLite', () => {
	const newStorage = tempStorages('parley-sessions-');
	sessionTests(async () => newStorage().facts);
});

sayWhyPostgresIsSkipped();

describe.skipIf(!TEST_POSTGRES)('sessions on PostgreSQL', () => {
	let db: TestDatabase | undefined;
	let storage: PostgresStorage | undefined;
	beforeAll(async () => {
		db = await createTestDatabase();
		storage = await openPostgresStorage(db.url, { max: 2 });
	});
	afterAll(async () => {
		await storage?.close();
		await db?.drop();
	});
	sessionTests(async () => {
		const facts = storage!.facts;
		await facts.run(sql`DELETE FROM sessions`);
		await facts.run(sql`DELETE FROM users`);
		return facts;
	});
});
