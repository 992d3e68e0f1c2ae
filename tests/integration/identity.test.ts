import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { seedDemo } from '../../server/db/seed';
import { ApiClient, signIn, startChatFrom, startCustomerChat } from '../helpers/api';
import { availableAgent } from '../helpers/conference';
import { EARLIER_LINES, returningCustomer } from '../helpers/history';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

// T4 (an identity is proven, not typed) and T2 (names) on the real server: who may see a
// customer's earlier chats, what a claim changes, and what the audit says about it.

const perTest = serverPerTest();
let server: TestServer;
async function boot() {
	server = await perTest.boot();
}
const open = perTest.open;
const identityOf = async (chatId: string) => server.row(sql`SELECT identity FROM chats WHERE id = ${chatId}`);
/** The messages of a chat as the server holds them. */
const serverMessages = async (chatId: string) => (await server.docs.get(`chat/${chatId}`)).doc.getArray<any>('messages');

/** `email` (an agent) becomes available, accepts the chat `start` begins, then goes busy (no more offers). */
async function taken<T extends { chatId: string }>(email: string, start: () => Promise<T>) {
	const agent = await availableAgent(server, email);
	const chat = await start();
	const res = await agent.call('POST', `/api/chats/${chat.chatId}/accept`);
	if (res.status !== 200) throw new Error(`accept: ${res.status} ${res.raw}`);
	await agent.call('PUT', '/api/agents/me/presence', { status: 'busy' });
	return { agent, chat };
}

describe('history only for a proven identity (T4)', () => {
	it('[T4] someone typing a returning customer’s email is a claim: verified false, and none of the history on the wire', async () => {
		await boot();
		const sam = await returningCustomer(server);
		// The real customer is chatting right now, from its own browser, with Grace.
		const live = await taken('grace@parley.test', () => startChatFrom(sam, 'Billing', 'Sam Lee', 'sam@example.com'));
		const samDoc = open(`chat/${live.chat.chatId}`, live.chat.token);
		await samDoc.synced();
		samDoc.doc.getArray('messages').push([newTextMessage(live.chat.customer, 'my new card ends in 4242', Date.now(), 'sam-live')]);
		await eventually(async () => expect((await serverMessages(live.chat.chatId)).toArray().some((m) => m.text.includes('4242'))).toBe(true));

		// Mallory types Sam's email in her own browser; Ada (who may read every chat) takes it.
		const { agent: ada, chat: mallory } = await taken('ada@parley.test', () => startCustomerChat(server, 'Billing', 'Mallory', 'sam@example.com'));
		const history = await ada.call('GET', `/api/chats/${mallory.chatId}/history`);
		expect(history.status).toBe(200);
		expect(history.body).toMatchObject({ verified: false, identity: 'claimed', chats: [], withheld: 0 });
		expect(history.body.reason).toMatch(/not verified/);
		for (const secret of [EARLIER_LINES.Billing, EARLIER_LINES.Technical, '4242', sam.earlier.Billing, sam.earlier.Technical, live.chat.chatId, 'Linus', 'Grace', 'Sam Lee'])
			expect(history.raw).not.toContain(secret);

		// The console is told too: the chat's summary and the agent's desk entry.
		const info = await ada.call('GET', `/api/chats/${mallory.chatId}`);
		expect(info.body.chat).toMatchObject({ customerName: 'Mallory', identity: 'claimed', verified: false });
		const desk = open('agent/ada', ada.sessionToken);
		await desk.synced();
		expect(desk.doc.getMap<any>('chats').get(mallory.chatId)).toMatchObject({ customerName: 'Mallory', verified: false });
		// The claimant is not told whether the email was known (no oracle for who is a customer).
		const own = await mallory.call('GET', `/api/chats/${mallory.chatId}`);
		expect(own.status).toBe(200);
		expect(own.raw).not.toMatch(/identity|verified|claimed/);
	});

	it('[T4] a claim never renames the customer; the audit lists the claimant under its own name as an unverified claim', async () => {
		await boot();
		const sam = await returningCustomer(server);
		const mallory = await startCustomerChat(server, 'Billing', 'Mallory', 'sam@example.com');
		expect(await server.row(sql`SELECT name FROM customers WHERE email = 'sam@example.com'`)).toEqual({ name: 'Sam Lee' });
		expect(await server.row(sql`SELECT identity, customer_name AS name FROM chats WHERE id = ${mallory.chatId}`)).toEqual({ identity: 'claimed', name: 'Mallory' });

		const auditor = await signIn(server, 'audit@parley.test');
		const found = await auditor.call('GET', '/api/audit/chats?email=sam@example.com');
		expect(found.status).toBe(200);
		expect(found.body.chats.map((c: any) => [c.id, c.customerName, c.identity])).toEqual([
			[mallory.chatId, 'Mallory', 'claimed'],
			[sam.earlier.Billing, 'Sam Lee', 'token'],
			[sam.earlier.Technical, 'Sam Lee', 'new']
		]);
		const state = await auditor.call('GET', `/api/audit/chats/${mallory.chatId}/state`);
		expect(state.body.chat).toMatchObject({ customerName: 'Mallory', customerEmail: 'sam@example.com', identity: 'claimed' });
		const timeline = await auditor.call('GET', `/api/audit/chats/${mallory.chatId}/timeline`);
		expect(timeline.body.timeline.find((e: any) => e.kind === 'chat.started')).toMatchObject({
			actor: { name: 'Mallory', role: 'customer' },
			summary: expect.stringContaining('(email not verified)')
		});
		const html = await fetch(`${server.url}/api/audit/chats/${mallory.chatId}/export?format=html`, {
			headers: { cookie: `parley_session=${auditor.sessionToken}` }
		});
		expect(await html.text()).toContain('<bdi>Mallory</bdi> &lt;sam@example.com&gt; — email not verified');
	});

	it('[T4] a second chat from the same browser is proven and sees the first; a proven customer may rename itself', async () => {
		await boot();
		const browser = new ApiClient(server.url);
		const first = await taken('grace@parley.test', () => startChatFrom(browser, 'Billing', 'Kim', 'kim@example.com'));
		expect(await identityOf(first.chat.chatId)).toEqual({ identity: 'new' });
		expect((await browser.call('POST', `/api/chats/${first.chat.chatId}/end`)).status).toBe(200);

		const firstId = first.chat.chatId;
		const second = await taken('grace@parley.test', () => startChatFrom(browser, 'Billing', 'Kim Park', 'kim@example.com'));
		expect(await identityOf(second.chat.chatId)).toEqual({ identity: 'token' });
		expect(await server.row(sql`SELECT name FROM customers WHERE email = 'kim@example.com'`)).toEqual({ name: 'Kim Park' });
		const history = await second.agent.call('GET', `/api/chats/${second.chat.chatId}/history`);
		expect(history.body).toMatchObject({ verified: true, identity: 'token', withheld: 0, unverified: 0 });
		expect(history.body.chats.map((c: any) => c.id)).toEqual([firstId]);
		expect((await second.agent.call('GET', `/api/chats/${second.chat.chatId}`)).body.chat).toMatchObject({ identity: 'token', verified: true });
	});

	it('[T4] a claimed chat’s token proves nothing, and a claim never shows in the real customer’s history', async () => {
		await boot();
		const sam = await returningCustomer(server);
		const mallory = await startCustomerChat(server, 'Billing', 'Mallory', 'sam@example.com');
		const malloryDoc = open(`chat/${mallory.chatId}`, mallory.token);
		await malloryDoc.synced();
		malloryDoc.doc.getArray('messages').push([newTextMessage(mallory.customer, 'please change my address', Date.now(), 'mal-1')]);
		await eventually(async () => expect((await serverMessages(mallory.chatId)).length).toBeGreaterThan(1));

		// Her browser now holds a chat cookie of Sam's customer; it is a claim's, so still a claim.
		const again = await taken('ada@parley.test', () => startChatFrom(mallory, 'Billing', 'Mallory', 'sam@example.com'));
		expect(await identityOf(again.chat.chatId)).toEqual({ identity: 'claimed' });
		// Nor does the claim's token in the body.
		const app = new ApiClient(server.url);
		const viaBody = await app.call('POST', '/api/chats', { name: 'Mallory', email: 'sam@example.com', topic: 'Billing', token: mallory.token });
		expect(viaBody.status).toBe(201);
		expect(await identityOf(viaBody.body.chatId)).toEqual({ identity: 'claimed' });
		expect((await app.call('POST', `/api/chats/${viaBody.body.chatId}/end`)).status).toBe(200);
		const history = await again.agent.call('GET', `/api/chats/${again.chat.chatId}/history`);
		expect(history.body).toMatchObject({ verified: false, chats: [] });
		expect(history.raw).not.toContain('change my address');
		await again.agent.call('POST', `/api/chats/${again.chat.chatId}/end`);

		// Sam comes back from its own browser: Mallory's chats are counted as unverified, never shown.
		const back = await taken('ada@parley.test', () => startChatFrom(sam, 'Billing', 'Sam Lee', 'sam@example.com'));
		const real = await back.agent.call('GET', `/api/chats/${back.chat.chatId}/history`);
		expect(real.body).toMatchObject({ verified: true, identity: 'token', withheld: 0, unverified: 3 });
		expect(real.body.chats.map((c: any) => c.id)).toEqual([sam.earlier.Billing, sam.earlier.Technical]);
		expect(real.raw).not.toContain('change my address');
		expect(real.raw).not.toContain('Mallory');
		expect(real.raw).not.toContain(mallory.chatId);
	});

	it('[T4] a client that keeps tokens instead of cookies proves itself with `token`; another customer’s token does not', async () => {
		await boot();
		const sam = await returningCustomer(server);
		const samToken = (await startChatFrom(sam, 'Technical', 'Sam Lee', 'sam@example.com')).token;
		const app = new ApiClient(server.url);
		const proven = await app.call('POST', '/api/chats', { name: 'Sam Lee', email: 'sam@example.com', topic: 'Billing', token: samToken });
		expect(proven.status).toBe(201);
		expect(await identityOf(proven.body.chatId)).toEqual({ identity: 'token' });
		expect(proven.raw).not.toMatch(/identity|verified/);
		// Sam's token says nothing about Pat (the seeded customer).
		const other = await app.call('POST', '/api/chats', { name: 'Pat', email: 'pat@example.com', topic: 'Billing', token: samToken });
		expect(await identityOf(other.body.chatId)).toEqual({ identity: 'claimed' });
	});
});

describe('the demo data (T4)', () => {
	it('[T4] seeding again proves Pat’s demo chats that a database from before identities holds as claims', async () => {
		await boot();
		await server.storage.facts.run(sql`UPDATE chats SET identity = 'claimed' WHERE customer_id = 'pat'`);
		await seedDemo(server.storage.facts, server.storage.log);
		expect(await server.rows(sql`SELECT id, identity FROM chats WHERE customer_id = 'pat' ORDER BY created_at`)).toEqual([
			{ id: 'seed-pat-billing', identity: 'new' },
			{ id: 'seed-pat-tech', identity: 'token' }
		]);
	});
});

describe('names the server vouches for (T2)', () => {
	it('[T2] the name is stored normalized, handed back, and is the name the customer signs its messages with', async () => {
		await boot();
		const res = await new ApiClient(server.url).call('POST', '/api/chats', { name: '  Zoe\u0308 \u00a0  Lee ', email: 'zoe@example.com', topic: 'Billing' });
		expect(res.status, res.raw).toBe(201);
		expect(res.body.customer.name).toBe('Zoë Lee');
		expect(await server.row(sql`SELECT customer_name AS chat, (SELECT name FROM customers WHERE email = 'zoe@example.com') AS customer FROM chats WHERE id = ${res.body.chatId}`)).toEqual({
			chat: 'Zoë Lee',
			customer: 'Zoë Lee'
		});
		const doc = open(`chat/${res.body.chatId}`, res.body.token);
		await doc.synced();
		expect(doc.doc.getMap<any>('participants').get(res.body.customer.id).name).toBe('Zoë Lee');
		doc.doc.getArray('messages').push([newTextMessage(res.body.customer, 'hello', Date.now(), 'z1')]);
		await eventually(async () => expect((await serverMessages(res.body.chatId)).toArray().map((m) => m.text)).toContain('hello'));
		expect(doc.closes).toEqual([]);
	});
});
