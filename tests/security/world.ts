import { createHash } from 'node:crypto';
import { hashPassword } from '../../server/auth/passwords';
import { createSession } from '../../server/auth/sessions';
import { users } from '../../server/db/schema';
import { ApiClient, startCustomerChat } from '../helpers/api';
import type { TestServer } from '../helpers/server';
import type { Author } from '../../src/lib/core/types';

/** Everyone the access matrix asks on behalf of (SPEC "Always": nobody reads or writes what is not theirs). */
export const ROLES = [
	'anonymous',
	'customerA',
	'customerB',
	'agentIn',
	'agentOut',
	'agentLeft',
	'agentOffered',
	'admin',
	'auditor'
] as const;
export type Role = (typeof ROLES)[number];

/**
 * One small organisation around chat A, built through the real API:
 * - chat A (Technical): customer A and agentIn (its owner, the last agent, with record
 *   rec-contact-pat attached); agentLeft was conferenced in and left; a conference request from
 *   agentIn to agentOffered is pending; agentIn has a banner (agent B declined a request).
 * - chat B: customer B with agent B (not a role). Chat C: waiting, offered to every world agent.
 * - agentOut: an available agent in none of them. admin and auditor: the demo users.
 */
export interface World {
	n: number;
	/** When it was built: every chat started since belongs to it (or to a later world). */
	since: number;
	chatA: string;
	chatB: string;
	chatC: string;
	requestId: string;
	bannerId: string;
	ids: Record<'in' | 'out' | 'left' | 'offered' | 'b', string>;
	as: Record<Role, ApiClient>;
	/** A client for `role` with a session of its own (for logging out without ending the world's). */
	freshSession(role: Role): ApiClient;
	/** How `role` signs a message (what the write policy expects of its connection). */
	author(role: Role): Author;
	/** The token `role` authenticates a socket with (`?token=`), if any. */
	token(role: Role): string | undefined;
}

let passwordHash: string | null = null;
let worlds = 0;

function sessionClient(server: TestServer, userId: string) {
	const { token } = createSession(server.store.db, userId, Date.now(), server.ctx.config.sessionLifetimeMs);
	const c = new ApiClient(server.url);
	c.cookies.set('parley_session', token);
	return c;
}

async function ok(res: Promise<{ status: number; raw: string; body: any }>, what: string, status = 200) {
	const r = await res;
	if (r.status !== status) throw new Error(`${what}: ${r.status} ${r.raw}`);
	return r.body;
}

export async function buildWorld(server: TestServer): Promise<World> {
	passwordHash ??= await hashPassword('parley-demo');
	const n = ++worlds;
	const since = Date.now();
	const ids = { in: `w${n}-in`, out: `w${n}-out`, left: `w${n}-left`, offered: `w${n}-offered`, b: `w${n}-b` };
	for (const id of Object.values(ids))
		server.store.db
			.insert(users)
			.values({
				id,
				email: `${id}@parley.test`,
				name: `Agent ${id}`,
				role: 'agent',
				passwordHash,
				permissions: [],
				skills: ['tech'],
				capacity: 5,
				chatConfigurationId: 'default'
			})
			.run();
	const agent = Object.fromEntries(Object.entries(ids).map(([k, id]) => [k, sessionClient(server, id)])) as Record<
		keyof typeof ids,
		ApiClient
	>;
	for (const c of Object.values(agent)) await ok(c.call('PUT', '/api/agents/me/presence', { status: 'available' }), 'presence');

	const a = await startCustomerChat(server, 'Technical', 'Pat', 'pat@example.com');
	await ok(agent.in.call('POST', `/api/chats/${a.chatId}/accept`), 'accept A');
	const b = await startCustomerChat(server, 'Technical', 'Bob', `bob${n}@example.com`);
	await ok(agent.b.call('POST', `/api/chats/${b.chatId}/accept`), 'accept B');
	await ok(agent.in.call('POST', `/api/chats/${a.chatId}/records`, { recordId: 'rec-contact-pat' }), 'attach', 201);

	const joined = await ok(agent.in.call('POST', `/api/chats/${a.chatId}/conference-requests`, { agentId: ids.left }), 'conference left', 201);
	await ok(agent.left.call('POST', `/api/conference-requests/${joined.requestId}/accept`), 'left joins');
	await ok(agent.left.call('POST', `/api/chats/${a.chatId}/leave`), 'left leaves');

	const declined = await ok(agent.in.call('POST', `/api/chats/${a.chatId}/conference-requests`, { agentId: ids.b }), 'conference b', 201);
	await ok(agent.b.call('POST', `/api/conference-requests/${declined.requestId}/decline`), 'b declines');
	const bannerId = [...server.docs.get(`agent/${ids.in}`).doc.getMap('banners').keys()][0];
	if (!bannerId) throw new Error('no banner');

	const pending = await ok(agent.in.call('POST', `/api/chats/${a.chatId}/conference-requests`, { agentId: ids.offered }), 'conference offered', 201);
	const c = await startCustomerChat(server, 'Technical', 'Cleo', `cleo${n}@example.com`);

	const admin = sessionClient(server, 'admin');
	const auditor = sessionClient(server, 'audit');
	const as: Record<Role, ApiClient> = {
		anonymous: new ApiClient(server.url),
		customerA: a,
		customerB: b,
		agentIn: agent.in,
		agentOut: agent.out,
		agentLeft: agent.left,
		agentOffered: agent.offered,
		admin,
		auditor
	};
	const userOf: Partial<Record<Role, string>> = {
		agentIn: ids.in,
		agentOut: ids.out,
		agentLeft: ids.left,
		agentOffered: ids.offered,
		admin: 'admin',
		auditor: 'audit'
	};
	return {
		n,
		since,
		chatA: a.chatId,
		chatB: b.chatId,
		chatC: c.chatId,
		requestId: pending.requestId,
		bannerId,
		ids,
		as,
		freshSession(role) {
			const id = userOf[role];
			return id ? sessionClient(server, id) : as[role];
		},
		author(role) {
			if (role === 'customerA') return a.customer;
			if (role === 'customerB') return b.customer;
			const id = userOf[role] ?? 'nobody';
			return { id, role: 'agent', name: id.startsWith('w') ? `Agent ${id}` : id };
		},
		token(role) {
			if (role === 'customerA') return a.token;
			if (role === 'customerB') return b.token;
			return as[role].sessionToken;
		}
	};
}

/**
 * Ends a world so it cannot disturb the next: its agents go offline and its chats end
 * (directly in the database: this is test hygiene, not behaviour under test).
 */
export function endWorld(server: TestServer, w: World) {
	const sqlite = server.store.sqlite;
	sqlite.prepare(`UPDATE users SET presence = 'offline' WHERE id LIKE ?`).run(`w${w.n}-%`);
	sqlite.prepare(`UPDATE chats SET status = 'ended' WHERE status != 'ended' AND created_at >= ?`).run(w.since);
}

/**
 * A fingerprint of every table: a refused request must leave it exactly as it was. Sessions are
 * included (a refusal must not even slide one); checkpoints are not (an idle document unloading
 * writes one: derived state, not a change of anything).
 */
export function databaseFingerprint(server: TestServer): string {
	const sqlite = server.store.sqlite;
	const tables = sqlite
		.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'doc_checkpoints' ORDER BY name`)
		.all() as { name: string }[];
	const h = createHash('sha256');
	for (const { name } of tables) {
		h.update(name);
		for (const row of sqlite.prepare(`SELECT * FROM "${name}" ORDER BY rowid`).iterate())
			h.update(JSON.stringify(row, (_, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v)));
	}
	return h.digest('hex');
}
