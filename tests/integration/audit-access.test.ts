import { sql } from 'drizzle-orm';
import WebSocket from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../server/http/app';
import { signIn, startCustomerChat } from '../helpers/api';
import { availableAgent, chatWith } from '../helpers/conference';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// A3: auditors change nothing — every write endpoint refuses them — and never join a live sync.

let server: TestServer;
const cleanup: (() => unknown)[] = [];
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
	await server.stop();
});

const count = async (table: 'doc_updates' | 'customers') => (await server.row<{ n: number }>(sql`SELECT count(*) AS n FROM ${sql.identifier(table)}`)).n;
/** Everything an auditor could change, row counts and a fingerprint of the mutable rows. */
const snapshot = async () => ({
	chats: await server.rows(sql`SELECT id, status, ended_at FROM chats ORDER BY id`),
	users: await server.rows(sql`SELECT id, presence, chat_configuration_id FROM users ORDER BY id`),
	configs: await server.rows(sql`SELECT * FROM chat_configurations ORDER BY id`),
	requests: await server.rows(sql`SELECT id, status FROM conference_requests ORDER BY id`),
	participants: await server.rows(sql`SELECT * FROM chat_participants ORDER BY chat_id, user_id`),
	updates: await count('doc_updates'),
	customers: await count('customers')
});

// Bodies that would be accepted from someone allowed to do it, so a 403 is the auditor's refusal.
function bodyFor(method: string, path: string): unknown {
	if (path === '/api/chats') return { name: 'Aud', email: 'aud@example.com', topic: 'Billing' };
	if (path === '/api/agents/me/presence') return { status: 'available' };
	if (path.endsWith('/conference-requests') || path.endsWith('/transfer')) return { agentId: 'grace' };
	if (path.endsWith('/records')) return { recordId: 'rec-contact-pat' };
	if (path.startsWith('/api/admin/chat-configurations/')) return { conferenceEnabled: false };
	return method === 'DELETE' ? undefined : {};
}

describe('auditors are read-only (A3)', () => {
	it('[A3] every write endpoint of the API answers 403 to an auditor and changes nothing', async () => {
		const { owner: ada, customer } = await chatWith(server);
		await availableAgent(server, 'grace@parley.test');
		const req = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(req.status).toBe(201);
		const ids: Record<string, string> = {
			'/api/chats/': customer.chatId,
			'/api/conference-requests/': req.body.requestId,
			'/api/banners/': 'b1',
			'/api/admin/chat-configurations/': 'default'
		};
		// The endpoints as the app declares them, so endpoints added later are covered too.
		const writes = createApi(server.app)
			.routes.filter((r) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(r.method))
			.filter((r) => r.path !== '/api/auth/login' && r.path !== '/api/auth/logout');
		expect(writes.length).toBeGreaterThanOrEqual(15);
		expect(writes.map((w) => `${w.method} ${w.path}`)).toEqual(expect.arrayContaining(['POST /api/chats', 'POST /api/chats/:id/end', 'PUT /api/admin/chat-configurations/:id']));

		const auditor = await signIn(server, 'audit@parley.test');
		const before = await snapshot();
		for (const { method, path } of writes) {
			const prefix = Object.keys(ids).find((p) => path.startsWith(p));
			const url = path.replace(':id', prefix ? ids[prefix] : 'x').replace(':recordId', 'rec-contact-pat');
			const res = await auditor.call(method, url, bodyFor(method, path));
			expect(res.status, `${method} ${path}: ${res.raw}`).toBe(403);
			expect(res.body.error).toEqual({ code: 'FORBIDDEN', message: 'auditors have read-only access: they cannot change anything' });
		}
		expect(await snapshot()).toEqual(before);
		// The auditor can still sign out (and in): sessions are not records of the organisation.
		expect((await auditor.call('POST', '/api/auth/logout')).status).toBe(200);
		expect((await auditor.call('GET', '/api/me')).status).toBe(401);
	});

	it('[A3] auditors never sync: every document refuses them, by token and by cookie', async () => {
		const { customer } = await chatWith(server);
		const auditor = await signIn(server, 'audit@parley.test');
		const docs = [`chat/${customer.chatId}`, `chat/${customer.chatId}/agents`, 'agent/audit', 'agent/ada', 'chat/seed-pat-billing'];
		for (const doc of docs) {
			const c = connectDoc(server.url, doc, auditor.sessionToken);
			cleanup.push(c.destroy);
			await c.closedWith(4403);
			expect(c.doc.getArray('messages').length).toBe(0);
			// A browser sends the session cookie on the upgrade instead.
			const code = await new Promise<number>((resolve) => {
				const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/sync/${doc}`, { headers: { cookie: `parley_session=${auditor.sessionToken}` } });
				ws.on('close', (c) => resolve(c));
				ws.on('error', () => undefined);
			});
			expect(code, doc).toBe(4403);
		}
	});

	it('[A2] the audit API is for auditors only', async () => {
		const { owner: ada, customer } = await chatWith(server);
		const paths = ['/api/audit/chats', `/api/audit/chats/${customer.chatId}/timeline`, `/api/audit/chats/${customer.chatId}/state`, `/api/audit/chats/${customer.chatId}/export`];
		const anonymous = await startCustomerChat(server, 'Billing', 'Bo', 'bo@example.com');
		const admin = await signIn(server, 'admin@parley.test');
		const auditor = await signIn(server, 'audit@parley.test');
		for (const path of paths) {
			const nobody = await fetch(server.url + path);
			expect(nobody.status, path).toBe(401);
			expect((await customer.call('GET', path)).status, path).toBe(403);
			expect((await anonymous.call('GET', path)).status, path).toBe(403);
			expect((await ada.call('GET', path)).status, path).toBe(403);
			expect((await admin.call('GET', path)).status, path).toBe(403);
			expect((await auditor.call('GET', path)).status, path).toBe(200);
		}
	});
});
