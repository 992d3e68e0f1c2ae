import { afterEach, describe, expect, it } from 'vitest';
import { signIn, startCustomerChat } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import * as P from '../../server/sync/protocol';
import { RawSocket } from './raw-socket';

// Sessions, tokens and cookies: whoever loses the right to a socket loses the socket promptly.
const DAY = 24 * 3600 * 1000;
let server: TestServer;
const cleanup: (() => void)[] = [];
afterEach(async () => {
	cleanup.splice(0).forEach((f) => f());
	await server.stop();
});
const raw = (doc: string, opts: ConstructorParameters<typeof RawSocket>[2]) => {
	const s = new RawSocket(server.url, doc, opts);
	cleanup.push(() => s.close());
	return s;
};

describe('[security] sessions and sockets', () => {
	it('[security] a session that expires loses its sockets within the check interval (4401); customers are untouched', async () => {
		let now = Date.now();
		server = await startTestServer({ now: () => now });
		const ada = await signIn(server, 'ada@parley.test');
		const customer = await startCustomerChat(server);
		const desk = connectDoc(server.url, 'agent/ada', ada.sessionToken);
		const chat = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		cleanup.push(desk.destroy, chat.destroy);
		await Promise.all([desk.synced(), chat.synced()]);
		now += 29 * DAY; // still valid (30 days), and the check must not slide it
		await new Promise((r) => setTimeout(r, 1500));
		expect(desk.closes).toEqual([]);
		now += 2 * DAY;
		await desk.closedWith(P.CLOSE.NOT_SIGNED_IN);
		expect((await ada.call('GET', '/api/me')).status).toBe(401);
		const again = raw('agent/ada', { token: ada.sessionToken });
		expect((await again.ended).code).toBe(P.CLOSE.NOT_SIGNED_IN);
		expect(chat.closes).toEqual([]);
	});

	it('[security] logging out closes that session’s sockets only; the same user’s other session keeps its own', async () => {
		server = await startTestServer();
		const laptop = await signIn(server, 'ada@parley.test');
		const phone = await signIn(server, 'ada@parley.test');
		const a = raw('agent/ada', { token: laptop.sessionToken });
		const b = raw('agent/ada', { token: phone.sessionToken });
		expect(await a.barrier()).toBeNull();
		expect(await b.barrier()).toBeNull();
		expect((await laptop.call('POST', '/api/auth/logout')).status).toBe(200);
		expect((await a.ended).code).toBe(P.CLOSE.ACCESS_ENDED);
		expect(await b.barrier()).toBeNull();
		expect((await phone.call('GET', '/api/me')).status).toBe(200);
	});

	it("[security] a customer's token and cookie open its own chat only", async () => {
		server = await startTestServer();
		const ann = await startCustomerChat(server, 'Billing', 'Ann', 'ann@example.com');
		const bob = await startCustomerChat(server, 'Billing', 'Bob', 'bob@example.com');
		const cookieOf = (c: typeof ann) => [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
		for (const doc of [`chat/${bob.chatId}`, `chat/${ann.chatId}/agents`, `chat/${bob.chatId}/agents`, 'agent/ada']) {
			expect((await raw(doc, { token: ann.token }).ended).code, doc).toBe(P.CLOSE.FORBIDDEN);
			expect((await raw(doc, { cookie: cookieOf(ann) }).ended).code, doc).toBe(P.CLOSE.FORBIDDEN);
		}
		expect(await raw(`chat/${ann.chatId}`, { cookie: cookieOf(ann) }).barrier()).toBeNull();
		expect(await raw(`chat/${ann.chatId}`, { token: ann.token }).barrier()).toBeNull();
		// A chat token is not a session: it opens no agent API either.
		expect((await ann.call('GET', '/api/agents')).status).toBe(403);
		expect((await ann.call('GET', '/api/me')).status).toBe(403);
	});

	it('[security] cookies are HttpOnly and SameSite=Lax with Path=/; the session cookie is cleared on logout', async () => {
		server = await startTestServer();
		const login = await fetch(`${server.url}/api/auth/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ email: 'ada@parley.test', password: 'parley-demo' })
		});
		const start = await fetch(`${server.url}/api/chats`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ name: 'Pat', email: 'pat@example.com', topic: 'Billing' })
		});
		for (const res of [login, start]) {
			const cookies = res.headers.getSetCookie();
			expect(cookies.length).toBeGreaterThan(0);
			for (const c of cookies) {
				expect(c).toMatch(/;\s*HttpOnly/i);
				expect(c).toMatch(/;\s*SameSite=Lax/i);
				expect(c).toMatch(/;\s*Path=\//i);
			}
		}
		const token = login.headers.getSetCookie()[0].split(';')[0];
		const out = await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { cookie: token } });
		expect(out.headers.getSetCookie().some((c) => /parley_session=;/.test(c) && /Max-Age=0/i.test(c))).toBe(true);
	});
});
