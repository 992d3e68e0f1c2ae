import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createApi } from '../../server/http/app';
import { ApiClient } from '../helpers/api';
import { multipart } from '../helpers/upload';
import { startTestServer, type TestServer } from '../helpers/server';
import { appendUpdate, messageIds } from './forge';
import { RawSocket, updateFrame } from './raw-socket';
import { ROLES, buildWorld, databaseFingerprint, endWorld, type Role, type World } from './world';

// The whole access matrix on the real server: every role × every API endpoint × every document
// kind, with the expected answer. A refusal (any non-2xx) must change nothing in the database;
// every state-changing request must also be refused from a foreign Origin. The list of endpoints
// is checked against the routes the app really serves, so a new endpoint without a row fails here.

type Expect = Record<Role, number>;
/** B9: a small text file as a multipart body (text, so it travels as a string). */
const UPLOAD = multipart({ name: 'app.log', bytes: 'ERROR at step 3\n' });
/** Everyone refused (401 without credentials, 403 otherwise), except `allowed`. */
const only = (allowed: Partial<Expect>): Expect => ({
	...(Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? 401 : 403])) as Expect),
	...allowed
});
const everyone = (status: number): Expect => Object.fromEntries(ROLES.map((r) => [r, status])) as Expect;
const AGENTS = ['agentIn', 'agentOut', 'agentLeft', 'agentOffered'] as const;
const agents = (status: number) => Object.fromEntries(AGENTS.map((r) => [r, status])) as Partial<Expect>;
const staff = (status: number): Partial<Expect> => ({ ...agents(status), supervisor: status, admin: status, auditor: status });
/** B6: what agents may, a supervisor may too (it works in the chats it joins like an agent). */
const agentsAndSupervisor = (status: number): Partial<Expect> => ({ ...agents(status), supervisor: status });

interface Endpoint {
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	/** The route as the app declares it. */
	route: string;
	path: (w: World) => string;
	body?: (w: World) => unknown;
	/** Headers of the call (a multipart body's content type). */
	headers?: Record<string, string>;
	expect: Expect;
	/**
	 * What an allowed (2xx) call does to the world: 'none' (read-only: checked unchanged too),
	 * 'harmless' (changes nothing other cells depend on), 'world' (each runs in a world of its own).
	 */
	effect: 'none' | 'harmless' | 'world';
	/** Calls with a session of their own (logging out must not end the world's sessions). */
	freshSession?: boolean;
}

/** Names and emails made unique per call (a created row must not clash with an earlier one). */
let made = 0;

const ENDPOINTS: Endpoint[] = [
	{ method: 'GET', route: '/api/health', path: () => '/api/health', expect: everyone(200), effect: 'none' },
	{ method: 'GET', route: '/api/ready', path: () => '/api/ready', expect: everyone(200), effect: 'none' },
	{ method: 'GET', route: '/api/topics', path: () => '/api/topics', expect: everyone(200), effect: 'none' },
	{
		method: 'POST',
		route: '/api/auth/login',
		path: () => '/api/auth/login',
		body: () => ({ email: 'margaret@parley.test', password: 'parley-demo' }),
		expect: everyone(200),
		effect: 'harmless'
	},
	{
		method: 'POST',
		route: '/api/auth/logout',
		path: () => '/api/auth/logout',
		expect: only(staff(200)),
		effect: 'harmless',
		freshSession: true
	},
	{ method: 'GET', route: '/api/me', path: () => '/api/me', expect: only(staff(200)), effect: 'none' },
	{
		method: 'PUT',
		route: '/api/agents/me/presence',
		path: () => '/api/agents/me/presence',
		body: () => ({ status: 'available' }),
		expect: only(agentsAndSupervisor(200)),
		effect: 'harmless'
	},
	{ method: 'GET', route: '/api/agents/me/chats', path: () => '/api/agents/me/chats', expect: only(agentsAndSupervisor(200)), effect: 'none' },
	{
		method: 'POST',
		route: '/api/chats',
		path: () => '/api/chats',
		body: (w) => ({ name: 'Newcomer', email: `new${w.n}@example.com`, topic: 'Billing' }),
		expect: { ...everyone(201), auditor: 403 },
		effect: 'harmless'
	},
	{
		method: 'GET',
		route: '/api/chats/:id',
		path: (w) => `/api/chats/${w.chatA}`,
		expect: only({ customerA: 200, agentIn: 200, supervisor: 200 }), // B6: a supervisor watches its teams' chats
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/accept',
		path: (w) => `/api/chats/${w.chatC}/accept`,
		expect: only(agents(200)),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/decline',
		path: (w) => `/api/chats/${w.chatC}/decline`,
		expect: only(agents(200)),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/end',
		path: (w) => `/api/chats/${w.chatA}/end`,
		expect: only({ customerA: 200, agentIn: 200 }),
		effect: 'world'
	},
	{
		method: 'PUT',
		route: '/api/admin/topics/:id/hours',
		path: () => '/api/admin/topics/billing/hours',
		body: () => ({ hours: null }),
		expect: only({ ...staff(403), admin: 200 }),
		effect: 'harmless'
	},
	// B8: the chat's customer only; chat A is active, so even it is refused (and nothing changes).
	{
		method: 'POST',
		route: '/api/chats/:id/leave-message',
		path: (w) => `/api/chats/${w.chatA}/leave-message`,
		body: () => ({ email: 'pat@example.com', text: 'Call me back' }),
		expect: only({ customerA: 409 }),
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/rating',
		path: (w) => `/api/chats/${w.chatA}/rating`,
		body: () => ({ score: 5, comment: 'great' }),
		expect: only({ customerA: 409 }),
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/transcript-email',
		path: (w) => `/api/chats/${w.chatA}/transcript-email`,
		expect: only({ customerA: 409 }), // the test server has no SMTP_URL
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/leave',
		path: (w) => `/api/chats/${w.chatA}/leave`,
		expect: only({ agentIn: 409 }), // C8: the last agent may not leave
		effect: 'world'
	},
	{ method: 'GET', route: '/api/supervisor/chats', path: () => '/api/supervisor/chats', expect: only({ supervisor: 200 }), effect: 'none' },
	{
		method: 'POST',
		route: '/api/chats/:id/draft/send',
		path: (w) => `/api/chats/${w.chatA}/draft/send`,
		body: () => ({ text: 'not what the draft holds' }),
		expect: only({ agentIn: 409 }), // B3: DRAFT_CHANGED (the world's draft is empty)
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/conference-requests',
		path: (w) => `/api/chats/${w.chatA}/conference-requests`,
		body: (w) => ({ agentId: w.ids.out }),
		expect: only({ agentIn: 201 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/transfer',
		path: (w) => `/api/chats/${w.chatA}/transfer`,
		body: (w) => ({ agentId: w.ids.out }),
		expect: only({ agentIn: 201 }),
		effect: 'world'
	},
	{
		method: 'GET',
		route: '/api/chats/:id/history',
		path: (w) => `/api/chats/${w.chatA}/history`,
		expect: only({ agentIn: 200 }),
		effect: 'none'
	},
	{
		method: 'GET',
		route: '/api/chats/:id/workspace',
		path: (w) => `/api/chats/${w.chatA}/workspace`,
		expect: only({ agentIn: 200 }),
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/records',
		path: (w) => `/api/chats/${w.chatA}/records`,
		body: () => ({ recordId: 'rec-order-7781' }),
		expect: only({ agentIn: 201 }),
		effect: 'world'
	},
	{
		method: 'DELETE',
		route: '/api/chats/:id/records/:recordId',
		path: (w) => `/api/chats/${w.chatA}/records/rec-contact-pat`,
		expect: only({ agentIn: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/chats/:id/attachments',
		path: (w) => `/api/chats/${w.chatA}/attachments`,
		body: () => UPLOAD.body.toString('utf8'),
		headers: { 'content-type': UPLOAD.contentType },
		expect: only({ customerA: 201, agentIn: 201 }),
		effect: 'harmless'
	},
	{
		method: 'GET',
		route: '/api/chats/:id/attachments',
		path: (w) => `/api/chats/${w.chatA}/attachments`,
		expect: only({ customerA: 200, agentIn: 200, supervisor: 200, auditor: 200 }),
		effect: 'none'
	},
	{
		method: 'GET',
		route: '/api/chats/:id/attachments/:attachmentId',
		path: (w) => `/api/chats/${w.chatA}/attachments/${w.attachmentId}`,
		expect: only({ customerA: 200, agentIn: 200, supervisor: 200, auditor: 200 }),
		effect: 'none'
	},
	{ method: 'GET', route: '/api/records', path: () => '/api/records?q=', expect: only(agentsAndSupervisor(200)), effect: 'none' },
	{
		method: 'POST',
		route: '/api/conference-requests/:id/accept',
		path: (w) => `/api/conference-requests/${w.requestId}/accept`,
		expect: only({ agentOffered: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/conference-requests/:id/decline',
		path: (w) => `/api/conference-requests/${w.requestId}/decline`,
		expect: only({ agentOffered: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/conference-requests/:id/cancel',
		path: (w) => `/api/conference-requests/${w.requestId}/cancel`,
		expect: only({ agentIn: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/banners/:id/dismiss',
		path: (w) => `/api/banners/${w.bannerId}/dismiss`,
		// Another agent's banner does not exist for them: 404, never a hint that it exists.
		expect: only({ ...agentsAndSupervisor(404), agentIn: 200 }),
		effect: 'world'
	},
	{ method: 'GET', route: '/api/agents', path: () => '/api/agents', expect: only(agentsAndSupervisor(200)), effect: 'none' },
	{
		method: 'GET',
		route: '/api/admin/chat-configurations',
		path: () => '/api/admin/chat-configurations',
		expect: only(staff(200)),
		effect: 'none'
	},
	{
		method: 'GET',
		route: '/api/admin/chat-configurations/:id',
		path: () => '/api/admin/chat-configurations/default',
		expect: only(staff(200)),
		effect: 'none'
	},
	{
		method: 'PUT',
		route: '/api/admin/chat-configurations/:id',
		path: () => '/api/admin/chat-configurations/restricted',
		body: () => ({ requestTimeoutSec: 90 }),
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{
		method: 'GET',
		route: '/api/canned-replies',
		path: () => '/api/canned-replies',
		expect: only({ ...agentsAndSupervisor(200), admin: 200 }),
		effect: 'none'
	},
	{
		method: 'POST',
		route: '/api/canned-replies',
		path: () => '/api/canned-replies',
		body: () => ({ scope: 'personal', title: 'Refund', body: 'Refunds take {days}' }),
		expect: only(agentsAndSupervisor(201)),
		effect: 'harmless'
	},
	{
		method: 'POST',
		route: '/api/canned-replies',
		path: () => '/api/canned-replies',
		body: () => ({ scope: 'team', title: 'Closing', body: 'Thanks, {customer}!' }),
		expect: only({ admin: 201 }),
		effect: 'harmless'
	},
	{
		method: 'PUT',
		route: '/api/canned-replies/:id',
		path: (w) => `/api/canned-replies/${w.cannedTeam}`,
		body: () => ({ title: 'Hello' }),
		expect: only({ admin: 200 }),
		effect: 'harmless'
	},
	{
		// Another's personal reply is not found, not forbidden: its existence is not given away.
		method: 'PUT',
		route: '/api/canned-replies/:id',
		path: (w) => `/api/canned-replies/${w.cannedPersonal}`,
		body: () => ({ body: 'Edited' }),
		expect: only({ agentIn: 200, agentOut: 404, agentLeft: 404, agentOffered: 404, supervisor: 404, admin: 404 }),
		effect: 'harmless'
	},
	{
		method: 'DELETE',
		route: '/api/canned-replies/:id',
		path: (w) => `/api/canned-replies/${w.cannedTeam}`,
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{
		method: 'DELETE',
		route: '/api/canned-replies/:id',
		path: (w) => `/api/canned-replies/${w.cannedPersonal}`,
		expect: only({ agentIn: 200, agentOut: 404, agentLeft: 404, agentOffered: 404, supervisor: 404, admin: 404 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/admin/chat-configurations',
		path: () => '/api/admin/chat-configurations',
		body: () => ({ name: `Night shift ${++made}`, conferenceEnabled: true, requestTimeoutSec: 90 }),
		expect: only({ admin: 201 }),
		effect: 'world'
	},
	{ method: 'GET', route: '/api/admin/team', path: () => '/api/admin/team', expect: only({ admin: 200 }), effect: 'none' },
	{
		method: 'POST',
		route: '/api/admin/agents',
		path: () => '/api/admin/agents',
		body: () => ({ name: 'New Agent', email: `new${++made}@parley.test`, password: 'long enough pw', skills: ['billing'], capacity: 2, configurationId: 'default', active: true }),
		expect: only({ admin: 201 }),
		effect: 'world'
	},
	{
		method: 'PUT',
		route: '/api/admin/agents/:id',
		path: (w) => `/api/admin/agents/${w.ids.out}`,
		body: () => ({ capacity: 4 }),
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/admin/topics',
		path: () => '/api/admin/topics',
		body: () => ({ name: `Returns ${++made}`, skill: 'returns', routing: 'omni' }),
		expect: only({ admin: 201 }),
		effect: 'world'
	},
	{
		method: 'PUT',
		route: '/api/admin/topics/:id',
		path: () => '/api/admin/topics/billing',
		body: () => ({ routing: 'omni' }),
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{ method: 'GET', route: '/api/admin/widgets', path: () => '/api/admin/widgets', expect: only({ admin: 200 }), effect: 'none' },
	{
		method: 'POST',
		route: '/api/admin/widgets',
		path: () => '/api/admin/widgets',
		body: () => ({ name: 'Shop', allowedOrigins: ['https://shop.example'], topics: ['billing'] }),
		expect: only({ admin: 201 }),
		effect: 'harmless'
	},
	{
		method: 'PUT',
		route: '/api/admin/widgets/:id',
		path: (w) => `/api/admin/widgets/${w.widget.id}`,
		body: () => ({ colour: '#000000' }),
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{
		method: 'POST',
		route: '/api/admin/widgets/:id/secret',
		path: (w) => `/api/admin/widgets/${w.widget.id}/secret`,
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	{
		method: 'DELETE',
		route: '/api/admin/widgets/:id',
		path: (w) => `/api/admin/widgets/${w.widget.id}`,
		expect: only({ admin: 200 }),
		effect: 'world'
	},
	// B7: a widget's public settings and its chats are everyone's (the site check is the body's `site`).
	{ method: 'GET', route: '/api/widgets/:key', path: (w) => `/api/widgets/${w.widget.key}`, expect: everyone(200), effect: 'none' },
	{
		method: 'POST',
		route: '/api/widgets/:key/chats',
		path: (w) => `/api/widgets/${w.widget.key}/chats`,
		body: (w) => ({ site: 'https://shop.example', name: 'Visitor', email: `visitor${w.n}@example.com`, topic: 'billing' }),
		expect: { ...everyone(201), auditor: 403 },
		effect: 'harmless'
	},
	{ method: 'GET', route: '/api/audit/chats', path: () => '/api/audit/chats', expect: only({ auditor: 200 }), effect: 'none' },
	{
		method: 'GET',
		route: '/api/audit/chats/:id/timeline',
		path: (w) => `/api/audit/chats/${w.chatA}/timeline`,
		expect: only({ auditor: 200 }),
		effect: 'none'
	},
	{
		method: 'GET',
		route: '/api/audit/chats/:id/state',
		path: (w) => `/api/audit/chats/${w.chatA}/state`,
		expect: only({ auditor: 200 }),
		effect: 'none'
	},
	{
		method: 'GET',
		route: '/api/audit/chats/:id/export',
		path: (w) => `/api/audit/chats/${w.chatA}/export`,
		expect: only({ auditor: 200 }),
		effect: 'none'
	}
];

let server: TestServer;
let shared: World;
beforeAll(async () => {
	server = await startTestServer();
	// Pending requests must not expire while the matrix runs (test setup, not behaviour under test).
	await server.storage.facts.run(sql`UPDATE chat_configurations SET request_timeout_sec = 3600`);
	shared = await buildWorld(server);
});
afterAll(async () => {
	await server?.stop();
});

/**
 * Prepares a call as `role` (with a copy of its cookies, so cookies an answer sets never change who
 * the role is); the returned function sends it.
 */
const prepare = async (w: World, e: Endpoint, role: Role, headers: Record<string, string> = {}) => {
	const client = new ApiClient(server.url);
	for (const [k, v] of (e.freshSession ? await w.freshSession(role) : w.as[role]).cookies) client.cookies.set(k, v);
	return () => client.call(e.method, e.path(w), e.body?.(w), { ...e.headers, ...headers });
};
const succeeded = (status: number) => status >= 200 && status < 300;

describe('[security] the access matrix: every role × every endpoint', () => {
	it('[security] the matrix names every route the API serves, and nothing else', () => {
		const served = createApi(server.app)
			.routes.filter((r) => r.method !== 'ALL')
			.map((r) => `${r.method} ${r.path}`);
		expect(new Set(served)).toEqual(new Set(ENDPOINTS.map((e) => `${e.method} ${e.route}`)));
	});

	for (const e of ENDPOINTS)
		it(`[security] ${e.method} ${e.route}: ${ROLES.map((r) => `${r} ${e.expect[r]}`).join(', ')}`, async () => {
			const got: Partial<Expect> = {};
			for (const role of ROLES) {
				const expected = e.expect[role];
				if (succeeded(expected) && e.effect === 'world') {
					const w = await buildWorld(server);
					got[role] = (await (await prepare(w, e, role))()).status;
					await endWorld(server, w);
					continue;
				}
				const send = await prepare(shared, e, role);
				const before = await databaseFingerprint(server);
				const res = await send();
				got[role] = res.status;
				if (!succeeded(res.status) || e.effect === 'none')
					expect(await databaseFingerprint(server), `${role} changed the database (${res.status} ${res.raw})`).toBe(before);
				if (!succeeded(res.status)) {
					expect(res.body?.error?.code, `${role}: ${res.raw}`).toBeTypeOf('string');
					expect(res.body?.error?.message, `${role}: ${res.raw}`).toBeTypeOf('string');
				}
			}
			expect(got).toEqual(e.expect);
		});

	it('[security] every state-changing request from a foreign Origin is refused 403 and changes nothing, whoever asks', async () => {
		for (const e of ENDPOINTS.filter((x) => x.method !== 'GET')) {
			for (const role of ROLES.filter((r) => succeeded(e.expect[r]))) {
				const send = await prepare(shared, e, role, { origin: 'https://evil.example' });
				const before = await databaseFingerprint(server);
				const res = await send();
				expect(res.status, `${e.method} ${e.route} as ${role}`).toBe(403);
				expect(await databaseFingerprint(server), `${e.method} ${e.route} as ${role}`).toBe(before);
			}
		}
		// One test walks every state-changing route × every role that may use it: it grows with the
		// API, so it gets more than the default 30 s of a loaded 2-core machine (not a timing check).
	}, 180_000);
});

type DocAccess = 'write' | 'read' | 4401 | 4403;

describe('[security] the access matrix: every role × every document kind', () => {
	const docs: { name: string; doc: (w: World) => string; expect: Record<Role, DocAccess> }[] = [
		{
			name: 'chat/<A>',
			doc: (w) => `chat/${w.chatA}`,
			expect: { ...closedFor(), customerA: 'write', agentIn: 'write', supervisor: 'read' }
		},
		// B2, B6: agents in the chat write whispers; a watching supervisor whispers too.
		{ name: 'chat/<A>/agents', doc: (w) => `chat/${w.chatA}/agents`, expect: { ...closedFor(), agentIn: 'write', supervisor: 'write' } },
		{ name: 'chat/<B>', doc: (w) => `chat/${w.chatB}`, expect: { ...closedFor(), customerB: 'write', supervisor: 'read' } },
		{ name: 'agent/<supervisor>', doc: (w) => `agent/w${w.n}-sup`, expect: { ...closedFor(), supervisor: 'read' } },
		{ name: 'agent/<agentIn>', doc: (w) => `agent/${w.ids.in}`, expect: { ...closedFor(), agentIn: 'read' } },
		{ name: 'agent/<agentOut>', doc: (w) => `agent/${w.ids.out}`, expect: { ...closedFor(), agentOut: 'read' } },
		{ name: 'agent/<agentLeft>', doc: (w) => `agent/${w.ids.left}`, expect: { ...closedFor(), agentLeft: 'read' } },
		{ name: 'agent/admin', doc: () => 'agent/admin', expect: closedFor() }
	];

	for (const d of docs)
		it(`[security] ${d.name}: ${ROLES.map((r) => `${r} ${d.expect[r]}`).join(', ')}`, async () => {
			const got: Partial<Record<Role, DocAccess>> = {};
			for (const role of ROLES) got[role] = await probeDoc(shared, role, d.doc(shared));
			expect(got).toEqual(d.expect);
		});
});

function closedFor(): Record<Role, DocAccess> {
	return Object.fromEntries(ROLES.map((r) => [r, r === 'anonymous' ? 4401 : 4403])) as Record<Role, DocAccess>;
}

let probes = 0;
/** Opens `doc` as `role` and tries to append a message as that role: write, read (dropped) or a close code. */
async function probeDoc(w: World, role: Role, doc: string): Promise<DocAccess> {
	const s = new RawSocket(server.url, doc, { token: w.token(role) });
	try {
		const before = await databaseFingerprint(server);
		const sv = await s.serverStateVector().catch(() => null);
		if (!sv) {
			const closed = await s.ended;
			expect(await databaseFingerprint(server)).toBe(before);
			return closed.code as 4401 | 4403;
		}
		const id = `probe-${++probes}`;
		const state = Y.encodeStateAsUpdate((await server.docs.get(doc)).doc);
		// B2: in the agents' huddle an append is a whisper.
		const root = doc.endsWith('/agents') ? 'whispers' : 'messages';
		s.send(updateFrame(appendUpdate(state, w.author(role), 'probe', id, undefined, root)));
		const closed = await s.barrier();
		if (closed) throw new Error(`${role} on ${doc}: closed ${closed.code} ${closed.reason}`);
		return messageIds((await server.docs.get(doc)).doc, root).includes(id) ? 'write' : 'read';
	} finally {
		s.close();
	}
}
