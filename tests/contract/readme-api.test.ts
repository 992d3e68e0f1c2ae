import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { acceptedChat, available, customerChat, expectError, expectKeys, expectMs, login } from './readme';

// README "## API", the routes table, row by row: what a client written from it alone relies on
// (exact fields, ms times, statuses and the error shape). Routes with sections of their own have
// files of their own in this folder.

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

describe('[api] README "API": signing in and who I am', () => {
	it('[api] sign-in answers {user} as GET /api/me has it, exactly the README fields; logout answers {ok:true} and ends the session', async () => {
		const ada = new ApiClient(server.url);
		const signedIn = await ada.call('POST', '/api/auth/login', { email: 'ada@parley.test', password: 'parley-demo' });
		expectKeys(signedIn.body, ['user']);
		const me = await ada.call('GET', '/api/me');
		expect(me.status).toBe(200);
		expect(signedIn.body.user).toEqual(me.body.user);
		expectKeys(me.body, ['user']);
		expectKeys(me.body.user, ['id', 'email', 'name', 'role', 'permissions', 'skills', 'capacity', 'presence', 'chatConfiguration']);
		expect(me.body.user).toMatchObject({ id: 'ada', email: 'ada@parley.test', role: 'agent', skills: ['billing', 'tech'], capacity: 3 });
		// A program that keeps no cookies sends the session token as a Bearer token.
		const bearer = await new ApiClient(server.url).call('GET', '/api/me', undefined, { authorization: `Bearer ${ada.cookies.get('parley_session')}` });
		expect(bearer.body).toEqual(me.body);
		const out = await ada.call('POST', '/api/auth/logout');
		expect(out).toMatchObject({ status: 200, body: { ok: true } });
		expectError(await ada.call('GET', '/api/me'), 401, 'NOT_SIGNED_IN');
	});

	it('[api] bad credentials are 401 BAD_CREDENTIALS; a missing field is 400 naming it', async () => {
		const anon = new ApiClient(server.url);
		expectError(await anon.call('POST', '/api/auth/login', { email: 'ada@parley.test', password: 'wrong-one' }), 401, 'BAD_CREDENTIALS');
		expectError(await anon.call('POST', '/api/auth/login', { email: 'ada@parley.test' }), 400, 'BAD_INPUT', 'password');
	});

	it('[api] GET /api/topics: {topics: [{id, name, skill, routing, hours, noAgent}], replyByEmail}', async () => {
		const res = await new ApiClient(server.url).call('GET', '/api/topics');
		expectKeys(res.body, ['topics', 'replyByEmail']);
		// The test server sends no email (no SMTP_URL).
		expect(res.body.replyByEmail).toBe(false);
		for (const topic of res.body.topics) expectKeys(topic, ['id', 'name', 'skill', 'routing', 'hours', 'noAgent']);
		// Nobody is signed in and available: no agent with either skill is online.
		expect(res.body.topics.map((t: any) => [t.name, t.skill, t.routing, t.hours, t.noAgent])).toEqual([
			['Billing', 'billing', 'omni', null, 'none_online'],
			['Technical', 'tech', 'button', null, 'none_online']
		]);
	});

	it('[api] PUT /api/agents/me/presence answers {presence}; another status is 400 naming `status`', async () => {
		const ada = await login(server, 'ada@parley.test');
		for (const status of ['busy', 'offline', 'available']) {
			const res = await ada.call('PUT', '/api/agents/me/presence', { status });
			expect(res.status).toBe(200);
			expect(res.body).toEqual({ presence: status });
		}
		expectError(await ada.call('PUT', '/api/agents/me/presence', { status: 'away' }), 400, 'BAD_INPUT', 'status');
	});
});

describe('[api] README "API": a chat from start to end', () => {
	it('[api] POST /api/chats: 201 {chatId, doc, token, customer}, the HttpOnly chat cookie, the normalized name; topic by id works', async () => {
		const browser = new ApiClient(server.url);
		const res = await browser.call('POST', '/api/chats', { name: '  Kim \u00a0 Lee ', email: ' Kim@Example.com ', topic: 'billing' });
		expect(res.status).toBe(201);
		expectKeys(res.body, ['chatId', 'doc', 'token', 'customer']);
		expect(res.body.doc).toBe(`chat/${res.body.chatId}`);
		expect(res.body.token).toBeTypeOf('string');
		expectKeys(res.body.customer, ['id', 'role', 'name']);
		expect(res.body.customer).toMatchObject({ role: 'customer', name: 'Kim Lee' });
		const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`parley_chat_${res.body.chatId}=`));
		expect(cookie).toMatch(/HttpOnly/i);
		const mine = await browser.call('GET', `/api/chats/${res.body.chatId}`);
		expect(mine.body.chat.topic).toBe('Billing');
	});

	it('[api] POST /api/chats refuses a bad email with 400 `email: …` and a staff name with 400 `name: …`', async () => {
		const anon = new ApiClient(server.url);
		expectError(await anon.call('POST', '/api/chats', { name: 'Kim', email: 'Kim <kim@example.com>', topic: 'Billing' }), 400, 'BAD_INPUT', 'email');
		expectError(await anon.call('POST', '/api/chats', { name: 'Ａｄａ', email: 'kim@example.com', topic: 'Billing' }), 400, 'BAD_INPUT', 'name');
		expectError(await anon.call('POST', '/api/chats', { name: 'Parley Support', email: 'kim@example.com', topic: 'Billing' }), 400, 'BAD_INPUT', 'name');
	});

	it('[api] GET /api/chats/:id: the customer gets no identity/verified, an agent in it does; the token works as Bearer', async () => {
		const { ada, customer } = await acceptedChat(server);
		const chatFields = ['id', 'status', 'topic', 'routing', 'customerName', 'createdAt', 'endedAt'];
		const asCustomer = await new ApiClient(server.url).call('GET', `/api/chats/${customer.chatId}`, undefined, { authorization: `Bearer ${customer.token}` });
		expect(asCustomer.status).toBe(200);
		expectKeys(asCustomer.body, ['chat', 'you']);
		expectKeys(asCustomer.body.chat, chatFields);
		expectMs(asCustomer.body.chat.createdAt);
		expect(asCustomer.body.chat).toMatchObject({ id: customer.chatId, status: 'active', topic: 'Billing', routing: 'omni', customerName: 'Kim', endedAt: null });
		expect(asCustomer.body.you).toEqual(customer.customer);
		const asAgent = await ada.call('GET', `/api/chats/${customer.chatId}`);
		expectKeys(asAgent.body.chat, [...chatFields, 'identity', 'verified']);
		expect(asAgent.body.chat).toMatchObject({ identity: 'new', verified: true });
		expect(asAgent.body.you).toEqual({ id: 'ada', role: 'agent', name: 'Ada' });
		// `you` is the author to sign with: a supervisor (watching, B6) signs as an agent too.
		const sam = await login(server, 'sam@parley.test');
		expect((await sam.call('GET', `/api/chats/${customer.chatId}`)).body.you).toEqual({ id: 'sam', role: 'agent', name: 'Sam Reyes' });
		const grace = await login(server, 'grace@parley.test');
		expect((await grace.call('GET', `/api/chats/${customer.chatId}`)).status).toBe(403);
	});

	it('[api] GET /api/agents/me/chats: {chats: [{id, topic, customerName, status, joinedAt}], capacity, active}', async () => {
		const { ada, customer } = await acceptedChat(server);
		const res = await ada.call('GET', '/api/agents/me/chats');
		expectKeys(res.body, ['chats', 'capacity', 'active']);
		expect(res.body).toMatchObject({ capacity: 3, active: 1 });
		expectKeys(res.body.chats[0], ['id', 'topic', 'customerName', 'status', 'joinedAt']);
		expect(res.body.chats[0]).toMatchObject({ id: customer.chatId, topic: 'Billing', customerName: 'Kim', status: 'active' });
		expectMs(res.body.chats[0].joinedAt);
		// The active chats it is in now, the latest joined first; an ended one leaves the list.
		const second = await customerChat(server, 'Billing', 'Lee', 'lee@example.com');
		expect((await ada.call('POST', `/api/chats/${second.chatId}/accept`)).status).toBe(200);
		expect((await ada.call('GET', '/api/agents/me/chats')).body.chats.map((c: any) => c.id)).toEqual([second.chatId, customer.chatId]);
		expect((await customer.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expect((await ada.call('GET', '/api/agents/me/chats')).body).toMatchObject({ chats: [{ id: second.chatId }], active: 1 });
	});

	it('[api] accept answers {chatId, doc}; a second agent gets 409 TAKEN; decline answers 200', async () => {
		// Technical is routed `button`: every available agent with the skill is offered it.
		const ada = await available(server, 'ada@parley.test');
		const linus = await available(server, 'linus@parley.test');
		const first = await customerChat(server, 'Technical');
		const won = await ada.call('POST', `/api/chats/${first.chatId}/accept`);
		expect(won).toMatchObject({ status: 200, body: { chatId: first.chatId, doc: `chat/${first.chatId}` } });
		expectKeys(won.body, ['chatId', 'doc']);
		expectError(await linus.call('POST', `/api/chats/${first.chatId}/accept`), 409, 'TAKEN');
		const second = await customerChat(server, 'Technical', 'Lee', 'lee@example.com');
		expect((await linus.call('POST', `/api/chats/${second.chatId}/decline`)).status).toBe(200);
	});

	it('[api] GET /api/agents: {agents: [{id, name, presence, skills, capacity, activeChats}]}', async () => {
		const { ada } = await acceptedChat(server);
		const res = await ada.call('GET', '/api/agents');
		expectKeys(res.body, ['agents']);
		for (const agent of res.body.agents) expectKeys(agent, ['id', 'name', 'presence', 'skills', 'capacity', 'activeChats']);
		expect(res.body.agents.find((a: any) => a.id === 'ada')).toMatchObject({ presence: 'available', activeChats: 1 });
		expectError(await new ApiClient(server.url).call('GET', '/api/agents'), 401, 'NOT_SIGNED_IN');
	});

	it('[C7][C8] leave: 409 LAST_AGENT for the last agent; end: the customer may end at any time, and then endedAt is ms', async () => {
		const { ada, customer } = await acceptedChat(server);
		expectError(await ada.call('POST', `/api/chats/${customer.chatId}/leave`), 409, 'LAST_AGENT');
		expect((await customer.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		const after = await customer.call('GET', `/api/chats/${customer.chatId}`);
		expect(after.body.chat.status).toBe('ended');
		expectMs(after.body.chat.endedAt);
	});

	it('[api] an unknown chat id is 404 NOT_FOUND; a state change from a foreign Origin is 403 FORBIDDEN', async () => {
		const ada = await login(server, 'ada@parley.test');
		expectError(await ada.call('GET', '/api/chats/no-such-chat'), 404, 'NOT_FOUND');
		const foreign = await ada.call('PUT', '/api/agents/me/presence', { status: 'busy' }, { origin: 'https://evil.example' });
		expectError(foreign, 403, 'FORBIDDEN');
	});

	it('[api] every answer carries an X-Request-Id; an acceptable one of the request is echoed', async () => {
		const anon = new ApiClient(server.url);
		expect((await anon.call('GET', '/api/topics', undefined, { 'x-request-id': 'abc.1:2=3+4/5-6_7' })).headers.get('x-request-id')).toBe('abc.1:2=3+4/5-6_7');
		const fresh = (await anon.call('GET', '/api/me', undefined, { 'x-request-id': 'no spaces' })).headers.get('x-request-id');
		expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
	});
});
