import { describe, expect, it } from 'vitest';
import type { Store } from '../../server/db/client';
import { users, sessions } from '../../server/db/schema';
import { createSession, liveSessionIds, validateSession } from '../../server/auth/sessions';
import { hashToken } from '../../server/auth/tokens';
import { tempStores } from '../helpers/store';

// Lucia's sliding expiry on a real SQLite file, through the prepared lookups.
const DAY = 24 * 60 * 60 * 1000;
const LIFETIME = 30 * DAY;
const newStore = tempStores('parley-sessions-');

function open() {
	const store = newStore();
	store.db
		.insert(users)
		.values({ id: 'u1', email: 'u1@example.com', name: 'U One', role: 'agent', passwordHash: 'x', permissions: [], skills: [] })
		.run();
	return store;
}
const expiryOf = (s: Store, id: string) =>
	s.db.select().from(sessions).all().find((r) => r.id === id)?.expiresAt;

describe('sessions', () => {
	it('stores only the hash and finds the user by the token', () => {
		const s = open();
		const { token, session } = createSession(s.db, 'u1', 0, LIFETIME);
		expect(session.id).toBe(hashToken(token));
		expect(s.db.select().from(sessions).all().map((r) => r.id)).toEqual([hashToken(token)]);
		expect(validateSession(s.db, token, DAY, LIFETIME)?.user.email).toBe('u1@example.com');
		expect(validateSession(s.db, token + 'x', DAY, LIFETIME)).toBeNull();
	});

	it('slides only in the second half of its life, and deletes an expired session', () => {
		const s = open();
		const { token, session } = createSession(s.db, 'u1', 0, LIFETIME);
		validateSession(s.db, token, 10 * DAY, LIFETIME);
		expect(expiryOf(s, session.id)).toBe(LIFETIME); // first half: unchanged
		const found = validateSession(s.db, token, 20 * DAY, LIFETIME);
		expect(found?.session.expiresAt).toBe(20 * DAY + LIFETIME);
		expect(expiryOf(s, session.id)).toBe(20 * DAY + LIFETIME); // stored, not only returned
		expect(validateSession(s.db, token, 20 * DAY + LIFETIME, LIFETIME)).toBeNull();
		expect(expiryOf(s, session.id)).toBeUndefined();
	});

	it('tells which of many sessions are live, without sliding any', () => {
		const s = open();
		const early = Array.from({ length: 600 }, () => createSession(s.db, 'u1', 0, LIFETIME).session.id);
		const late = Array.from({ length: 3 }, () => createSession(s.db, 'u1', 10 * DAY, LIFETIME).session.id);
		const unknown = ['0'.repeat(64), "x') OR 1=1 --"];
		const at = 35 * DAY; // the early ones have expired, the late ones not
		const live = liveSessionIds(s.db, [...early, ...late, ...unknown], at);
		expect([...live].sort()).toEqual([...late].sort());
		expect(liveSessionIds(s.db, early.slice(0, 550), 29 * DAY).size).toBe(550);
		expect(liveSessionIds(s.db, [], 0).size).toBe(0);
		expect(expiryOf(s, late[0])).toBe(10 * DAY + LIFETIME);
	});
});
