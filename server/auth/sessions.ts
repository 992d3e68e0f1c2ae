import { and, eq, gt, sql } from 'drizzle-orm';
import { preparedFor } from '../db/prepared';
import type { users } from '../db/schema';
import type { Facts } from '../storage/facts';
import { generateToken, hashToken } from './tokens';

export type UserRow = typeof users.$inferSelect;
export interface SessionInfo {
	id: string;
	userId: string;
	expiresAt: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** A session's sliding lifetime (SESSION_DAYS, read by server/config.ts; 30 days by default). */
export function sessionLifetimeMs(days = 30): number {
	return days * DAY;
}

export async function createSession(store: Facts, userId: string, now: number, lifetime: number) {
	const token = generateToken();
	const session = { id: hashToken(token), userId, expiresAt: now + lifetime };
	await store.db.insert(store.t.sessions).values(session);
	return { token, session };
}

/**
 * Sliding expiry: a session used in the second half of its life is extended to a full lifetime.
 * Returns null for unknown or expired tokens (expired rows are deleted).
 */
export function validateSession(store: Facts, token: string, now: number, lifetime: number) {
	return validateSessionById(store, hashToken(token), now, lifetime);
}

// Every socket and request looks its session up: built once per store (see preparedFor).
const sessionById = preparedFor(({ db, t }) =>
	db
		.select({ session: t.sessions, user: t.users })
		.from(t.sessions)
		.innerJoin(t.users, eq(t.users.id, t.sessions.userId))
		.where(eq(t.sessions.id, sql.placeholder('id')))
		.prepare('session_by_id')
);

/** validateSession for a token already hashed (a caller trying one token several ways hashes once). */
export async function validateSessionById(store: Facts, id: string, now: number, lifetime: number) {
	const row = (await sessionById(store).execute({ id }))[0];
	if (!row) return null;
	// The rare writes go through `run`, which on SQLite waits for a decision in progress instead
	// of slipping into its transaction (a lookup is not part of anyone's decision).
	if (now >= row.session.expiresAt) {
		await store.run(sql`DELETE FROM sessions WHERE id = ${id}`);
		return null;
	}
	if (row.session.expiresAt - now < lifetime / 2) {
		row.session.expiresAt = now + lifetime;
		await store.run(sql`UPDATE sessions SET expires_at = ${row.session.expiresAt} WHERE id = ${id}`);
	}
	return row as { session: SessionInfo; user: UserRow };
}

export async function invalidateSession(store: Facts, sessionId: string) {
	await store.db.delete(store.t.sessions).where(eq(store.t.sessions.id, sessionId));
}

/**
 * Which of these sessions are still valid at `now`, without sliding them: the gateway asks this
 * for the sessions behind open sockets, so an expired session loses its sockets (an open socket
 * alone must not keep a session alive). One prepared statement, the ids as one parameter: the
 * gateway asks every second, and a query built with hundreds of placeholders each time stalled
 * every live chat for a moment.
 */
export async function liveSessionIds(store: Facts, ids: readonly string[], now: number): Promise<Set<string>> {
	// SQLite has no array parameters: there the ids travel as one JSON array.
	const param = store.dialect === 'sqlite' ? JSON.stringify(ids) : [...ids];
	const rows = await liveSessionQuery(store).execute({ ids: param, now });
	return new Set(rows.map((r) => r.id));
}

const liveSessionQuery = preparedFor(({ db, t, dialect }) => {
	const ids = sql.placeholder('ids');
	const among =
		dialect === 'sqlite'
			? sql`${t.sessions.id} IN (SELECT value FROM json_each(${ids}))`
			: sql`${t.sessions.id} = ANY(${ids})`;
	return db
		.select({ id: t.sessions.id })
		.from(t.sessions)
		.where(and(among, gt(t.sessions.expiresAt, sql.placeholder('now'))))
		.prepare('live_session_ids');
});
