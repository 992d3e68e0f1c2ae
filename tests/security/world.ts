import { createHash } from 'node:crypto';
import { getTableName, is, sql, Table } from 'drizzle-orm';
import { hashPassword } from '../../server/auth/passwords';
import { createSession } from '../../server/auth/sessions';
import { ApiClient, startCustomerChat } from '../helpers/api';
import type { TestServer } from '../helpers/server';
import { PNG, upload } from '../helpers/upload';
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
	'supervisor',
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
 * - supervisor (B6): of the tech team (all three chats), in none of them.
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
	/** B9: a PNG customer A uploaded to chat A. */
	attachmentId: string;
	/** Issue 16: a team-wide canned reply (the admin's) and agentIn's personal one. */
	cannedTeam: string;
	cannedPersonal: string;
	ids: Record<'in' | 'out' | 'left' | 'offered' | 'b', string>;
	/** B7: a widget of this world, embeddable on https://shop.example, offering Billing. */
	widget: { id: string; key: string };
	as: Record<Role, ApiClient>;
	/** A client for `role` with a session of its own (for logging out without ending the world's). */
	freshSession(role: Role): Promise<ApiClient>;
	/** How `role` signs a message (what the write policy expects of its connection). */
	author(role: Role): Author;
	/** The token `role` authenticates a socket with (`?token=`), if any. */
	token(role: Role): string | undefined;
}

let passwordHash: string | null = null;
let worlds = 0;

async function sessionClient(server: TestServer, userId: string) {
	const { token } = await createSession(server.storage.facts, userId, Date.now(), server.app.config.sessionLifetimeMs);
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
	const { db, t } = server.storage.facts;
	await db.insert(t.users).values(
		Object.values(ids).map((id) => ({
			id,
			email: `${id}@parley.test`,
			name: `Agent ${id}`,
			role: 'agent' as const,
			passwordHash: passwordHash!,
			permissions: [],
			skills: ['tech'],
			capacity: 5,
			chatConfigurationId: 'default'
		}))
	);
	const agent = {} as Record<keyof typeof ids, ApiClient>;
	for (const [k, id] of Object.entries(ids) as [keyof typeof ids, string][]) agent[k] = await sessionClient(server, id);
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
	const bannerId = [...(await server.docs.get(`agent/${ids.in}`)).doc.getMap('banners').keys()][0];
	if (!bannerId) throw new Error('no banner');

	const pending = await ok(agent.in.call('POST', `/api/chats/${a.chatId}/conference-requests`, { agentId: ids.offered }), 'conference offered', 201);
	const c = await startCustomerChat(server, 'Technical', 'Cleo', `cleo${n}@example.com`);
	const file = await upload(a, a.chatId, { name: 'screen.png', bytes: PNG });
	if (file.status !== 201) throw new Error(`upload: ${file.status} ${file.raw}`);

	const widget = { id: `w${n}-widget`, key: `pk_w${n}` };
	await db.insert(t.widgets).values({
		...widget, name: `Widget ${n}`, secret: `sk_w${n}`, allowedOrigins: ['https://shop.example'], topics: ['billing'],
		greeting: 'Hi', colour: '#2563eb', createdAt: since
	});
	await db.insert(t.users).values({
		id: `w${n}-sup`,
		email: `w${n}-sup@parley.test`,
		name: `Supervisor w${n}`,
		role: 'supervisor',
		passwordHash: passwordHash!,
		permissions: [],
		skills: ['tech'],
		capacity: 3,
		chatConfigurationId: 'default'
	});
	const supervisor = await sessionClient(server, `w${n}-sup`);
	const admin = await sessionClient(server, 'admin');
	const auditor = await sessionClient(server, 'audit');
	const team = await ok(admin.call('POST', '/api/canned-replies', { scope: 'team', title: `Greeting ${n}`, body: 'Hi {customer}' }), 'team reply', 201);
	const personal = await ok(agent.in.call('POST', '/api/canned-replies', { scope: 'personal', title: 'Mine', body: 'My words' }), 'personal reply', 201);
	const as: Record<Role, ApiClient> = {
		anonymous: new ApiClient(server.url),
		customerA: a,
		customerB: b,
		agentIn: agent.in,
		agentOut: agent.out,
		agentLeft: agent.left,
		agentOffered: agent.offered,
		supervisor,
		admin,
		auditor
	};
	const userOf: Partial<Record<Role, string>> = {
		agentIn: ids.in,
		agentOut: ids.out,
		agentLeft: ids.left,
		agentOffered: ids.offered,
		supervisor: `w${n}-sup`,
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
		cannedTeam: team.reply.id,
		cannedPersonal: personal.reply.id,
		attachmentId: file.body.attachment.id,
		ids,
		widget,
		as,
		async freshSession(role) {
			const id = userOf[role];
			return id ? sessionClient(server, id) : as[role];
		},
		author(role) {
			if (role === 'customerA') return a.customer;
			if (role === 'customerB') return b.customer;
			const id = userOf[role] ?? 'nobody';
			if (role === 'supervisor') return { id, role: 'agent', name: `Supervisor w${n}` };
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
export async function endWorld(server: TestServer, w: World) {
	const { facts } = server.storage;
	await facts.run(sql`UPDATE users SET presence = 'offline' WHERE id LIKE ${`w${w.n}-%`}`);
	await facts.run(sql`UPDATE chats SET status = 'ended' WHERE status != 'ended' AND created_at >= ${w.since}`);
}

/**
 * A fingerprint of every table: a refused request must leave it exactly as it was. Sessions are
 * included (a refusal must not even slide one); checkpoints are not (an idle document unloading
 * writes one: derived state, not a change of anything). The tables are the schema's, on either
 * store; each table's rows are sorted as text (no column order both stores share, like rowid).
 */
export async function databaseFingerprint(server: TestServer): Promise<string> {
	const tables = (Object.values(server.storage.facts.t) as unknown[])
		.filter((v): v is Table => is(v, Table))
		.map((table) => getTableName(table))
		.filter((name) => name !== 'doc_checkpoints')
		.sort();
	const h = createHash('sha256');
	for (const name of tables) {
		h.update(name);
		const rows = await server.rows(sql`SELECT * FROM ${sql.identifier(name)}`);
		const lines = rows.map((row) => JSON.stringify(row, (_, v) => (v?.type === 'Buffer' ? Buffer.from(v.data).toString('hex') : v))).sort();
		for (const line of lines) h.update(line);
	}
	return h.digest('hex');
}
