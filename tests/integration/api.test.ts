import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, TEST_STORE, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});
const countChats = async () => (await server.row<{ n: number }>(sql`SELECT count(*) AS n FROM chats`)).n;

describe('the API', () => {
	it('[api] health, topics, and me for a signed-in user', async () => {
		const anon = new ApiClient(server.url);
		expect((await anon.call('GET', '/api/health')).body).toEqual({ ok: true, store: { ok: true, kind: TEST_STORE } });
		expect((await anon.call('GET', '/api/topics')).body.topics.map((t: any) => [t.name, t.routing])).toEqual([
			['Billing', 'omni'],
			['Technical', 'button']
		]);
		expect((await anon.call('GET', '/api/me')).status).toBe(401);
		const ada = await signIn(server, 'ada@parley.test');
		const me = await ada.call('GET', '/api/me');
		expect(me.body.user).toMatchObject({ id: 'ada', role: 'agent', capacity: 3, skills: ['billing', 'tech'] });
		expect(me.raw).not.toContain('scrypt');
	});

	it('[api] the session cookie is HttpOnly and SameSite=Lax; bad credentials get 401', async () => {
		const res = await fetch(server.url + '/api/auth/login', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'ada@parley.test', password: 'parley-demo' })
		});
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_session='));
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		const bad = await new ApiClient(server.url).call('POST', '/api/auth/login', { email: 'ada@parley.test', password: 'nope' });
		expect(bad.status).toBe(401);
		expect(bad.body.error.code).toBe('BAD_CREDENTIALS');
	});

	it('[api] sign-in is rate-limited after 10 failures', async () => {
		const c = new ApiClient(server.url);
		for (let i = 0; i < 10; i++) await c.call('POST', '/api/auth/login', { email: 'grace@parley.test', password: 'x' });
		const blocked = await c.call('POST', '/api/auth/login', { email: 'grace@parley.test', password: 'parley-demo' });
		expect(blocked.status).toBe(429);
	});

	it('[api] invalid bodies get 400 naming the field and change nothing', async () => {
		const c = new ApiClient(server.url);
		const before = await countChats();
		const cases: [unknown, string][] = [
			[{ name: '', email: 'a@b.co', topic: 'Billing' }, 'name'],
			[{ name: 'A', email: 'not-an-email', topic: 'Billing' }, 'email'],
			[{ name: 'A', email: 'a@b.co', topic: 'Nope' }, 'topic'],
			[{ name: 'A', email: 'a@b.co' }, 'topic']
		];
		for (const [body, field] of cases) {
			const res = await c.call('POST', '/api/chats', body);
			expect(res.status).toBe(400);
			expect(res.body.error.message).toMatch(new RegExp(`^${field}`));
		}
		const notJson = await c.call('POST', '/api/chats', '{oops');
		expect(notJson.status).toBe(400);
		expect(await countChats()).toBe(before);
		const ada = await signIn(server, 'ada@parley.test');
		expect((await ada.call('PUT', '/api/agents/me/presence', { status: 'asleep' })).status).toBe(400);
		expect((await ada.call('POST', '/api/chats/nope/accept')).status).toBe(404);
		expect((await ada.call('POST', '/api/chats/nope/end')).status).toBe(404);
	});

	it('[api] a body over 64 KiB is refused with 413 and changes nothing', async () => {
		const c = new ApiClient(server.url);
		const before = await countChats();
		const res = await c.call('POST', '/api/chats', { name: 'x'.repeat(200_000), email: 'a@b.co', topic: 'Billing' });
		expect(res.status).toBe(413);
		expect(res.body.error.code).toBe('TOO_LARGE');
		expect(await countChats()).toBe(before);
	});

	it('[L1] an omni chat declined by one agent is pushed to the next', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		const grace = await signIn(server, 'grace@parley.test');
		await grace.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const chat = await startCustomerChat(server);
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		expect((await ada.call('POST', `/api/chats/${chat.chatId}/accept`)).status).toBe(403); // pushed to grace only
		expect((await grace.call('POST', `/api/chats/${chat.chatId}/decline`)).status).toBe(200);
		expect((await ada.call('POST', `/api/chats/${chat.chatId}/accept`)).status).toBe(200);
		expect((await grace.call('POST', `/api/chats/${chat.chatId}/accept`)).status).toBe(409);
	});

	it('[api] auditors and admins cannot take chats or set presence', async () => {
		const chat = await startCustomerChat(server);
		for (const email of ['audit@parley.test', 'admin@parley.test']) {
			const who = await signIn(server, email);
			expect((await who.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(403);
			expect((await who.call('POST', `/api/chats/${chat.chatId}/accept`)).status).toBe(403);
			expect((await who.call('POST', `/api/chats/${chat.chatId}/end`)).status).toBe(403);
		}
	});

	it('[sync] an idle document is unloaded after its last client leaves', async () => {
		const chat = await startCustomerChat(server);
		const c = connectDoc(server.url, `chat/${chat.chatId}`, chat.token);
		await c.synced();
		expect(server.docs.loadedCount()).toBeGreaterThan(0);
		c.destroy();
		await eventually(() => expect(server.docs.loadedCount()).toBe(0), 3000);
	});
});
