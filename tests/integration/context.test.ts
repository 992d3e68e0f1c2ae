import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signIn, startChatFrom, startCustomerChat } from '../helpers/api';
import { availableAgent } from '../helpers/conference';
import { EARLIER_LINES, returningCustomer } from '../helpers/history';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';
import { connectDoc } from '../helpers/yclient';

const perTest = serverPerTest();
const { cleanup } = perTest;
let server: TestServer;
async function boot() {
	server = await perTest.boot();
}

/** Someone types Pat's email (the seeded returning customer's) and starts a chat on `topic`; `email` takes it. */
async function patChatWith(email: string, topic = 'Billing') {
	const agent = await availableAgent(server, email);
	const customer = await startCustomerChat(server, topic, 'Pat', 'pat@example.com');
	const res = await agent.call('POST', `/api/chats/${customer.chatId}/accept`);
	if (res.status !== 200) throw new Error(res.raw);
	return { agent, customer };
}
async function conferenceIn(owner: Awaited<ReturnType<typeof signIn>>, chatId: string, email: string) {
	const other = await availableAgent(server, email);
	const id = email.split('@')[0];
	const { requestId } = (await owner.call('POST', `/api/chats/${chatId}/conference-requests`, { agentId: id })).body;
	expect((await other.call('POST', `/api/conference-requests/${requestId}/accept`)).status).toBe(200);
	return other;
}

describe("the joining agent's context", () => {
	/** A proven returning customer (T4: its browser holds its earlier chats' cookies) starts a chat `email` takes. */
	async function returningChatWith(email: string, topic = 'Billing') {
		const browser = await returningCustomer(server);
		const agent = await availableAgent(server, email);
		const customer = await startChatFrom(browser, topic, 'Sam Lee', 'sam@example.com');
		const res = await agent.call('POST', `/api/chats/${customer.chatId}/accept`);
		if (res.status !== 200) throw new Error(res.raw);
		return { agent, customer };
	}

	it('[C9][C10] the customer’s earlier chats, newest first, only those the agent may read; the rest counted', async () => {
		await boot();
		const { agent: grace, customer } = await returningChatWith('grace@parley.test');
		const res = await grace.call('GET', `/api/chats/${customer.chatId}/history`);
		expect(res.status).toBe(200);
		expect(res.body).toMatchObject({ verified: true, identity: 'token', withheld: 1, unverified: 0 });
		expect(res.body.chats.map((c: any) => c.topic)).toEqual(['Billing']);
		expect(res.body.chats[0].messages.map((m: any) => m.text)).toContain(EARLIER_LINES.Billing);
		// no byte of the hidden technical chat
		expect(res.raw).not.toContain('router');
		expect(res.raw).not.toContain(customer.earlier.Technical);
		expect(res.raw).not.toContain('Linus');
	});

	it('[C9] an agent with both skills sees both earlier chats, newest first', async () => {
		await boot();
		const { agent: ada, customer } = await returningChatWith('ada@parley.test');
		const res = await ada.call('GET', `/api/chats/${customer.chatId}/history`);
		expect(res.body.chats.map((c: any) => c.topic)).toEqual(['Billing', 'Technical']);
		expect(res.body.chats.map((c: any) => c.id)).toEqual([customer.earlier.Billing, customer.earlier.Technical]);
		expect(res.body.withheld).toBe(0);
	});

	it('[C9][T4] the seeded returning customer’s chats are proven: they are Pat’s history, never a claimant’s', async () => {
		await boot();
		const proven = await server.rows(sql`SELECT id, identity FROM chats WHERE customer_id = 'pat' ORDER BY created_at`);
		expect(proven).toEqual([
			{ id: 'seed-pat-billing', identity: 'new' },
			{ id: 'seed-pat-tech', identity: 'token' }
		]);
		const { agent: ada, customer } = await patChatWith('ada@parley.test');
		const res = await ada.call('GET', `/api/chats/${customer.chatId}/history`);
		expect(res.body).toMatchObject({ verified: false, chats: [], withheld: 0 });
		expect(res.raw).not.toContain('charged twice');
		expect(res.raw).not.toContain('seed-pat');
	});

	it('[C10] history is only for agents in the chat', async () => {
		await boot();
		const { customer } = await patChatWith('grace@parley.test');
		const linus = await signIn(server, 'linus@parley.test');
		expect((await linus.call('GET', `/api/chats/${customer.chatId}/history`)).status).toBe(403);
		expect((await customer.call('GET', `/api/chats/${customer.chatId}/history`)).status).toBe(403);
	});

	it('[C11] records are listed and searched by permission', async () => {
		await boot();
		const grace = await signIn(server, 'grace@parley.test');
		const all = await grace.call('GET', '/api/records');
		expect(all.body.records.map((r: any) => r.id).sort()).toEqual(['rec-case-1042', 'rec-contact-pat']);
		const found = await grace.call('GET', '/api/records?q=double');
		expect(found.body.records.map((r: any) => r.id)).toEqual(['rec-case-1042']);
		expect((await grace.call('GET', '/api/records?q=router')).raw).not.toContain('7781');
	});

	it('[C11][C13] a joining agent gets the records attached at join time that it may see; the owner’s later changes do not touch it', async () => {
		await boot();
		const { agent: ada, customer } = await patChatWith('ada@parley.test');
		for (const recordId of ['rec-contact-pat', 'rec-order-7781', 'rec-case-escalation'])
			expect((await ada.call('POST', `/api/chats/${customer.chatId}/records`, { recordId })).status).toBe(201);
		const grace = await conferenceIn(ada, customer.chatId, 'grace@parley.test');
		const before = await grace.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expect(before.body).toMatchObject({ owner: { id: 'ada' }, live: false, withheld: 2 });
		expect(before.body.records.map((r: any) => r.id)).toEqual(['rec-contact-pat']);
		expect(before.raw).not.toContain('router');

		expect((await ada.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-case-1042' })).status).toBe(201);
		expect((await ada.call('DELETE', `/api/chats/${customer.chatId}/records/rec-contact-pat`)).status).toBe(200);
		const after = await grace.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expect(after.body).toEqual(before.body);
		const owner = await ada.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expect(owner.body.live).toBe(true);
		expect(owner.body.records.map((r: any) => r.id)).toEqual(['rec-order-7781', 'rec-case-escalation', 'rec-case-1042']);
	});

	it('[C12] only the owner attaches or removes; after it leaves, the longest-attending agent can', async () => {
		await boot();
		const { agent: ada, customer } = await patChatWith('ada@parley.test');
		const grace = await conferenceIn(ada, customer.chatId, 'grace@parley.test');
		const linus = await conferenceIn(ada, customer.chatId, 'linus@parley.test');
		const refused = await grace.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-case-1042' });
		expect(refused.status).toBe(403);
		expect(refused.body.error.code).toBe('NOT_OWNER');
		expect((await customer.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-contact-pat' })).status).toBe(403);

		const desk = connectDoc(server.url, 'agent/grace', grace.sessionToken);
		cleanup.push(desk.destroy);
		await desk.synced();
		const seen = desk.doc.getMap<any>('chats').get(customer.chatId)?.workspaceAt ?? 0;
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		await eventually(() => expect(desk.doc.getMap<any>('chats').get(customer.chatId).workspaceAt).toBeGreaterThan(seen));
		expect((await grace.call('GET', `/api/chats/${customer.chatId}/workspace`)).body).toMatchObject({ owner: { id: 'grace' }, live: true });
		expect((await linus.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-order-7781' })).status).toBe(403);
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-case-1042' })).status).toBe(201);
		const audit = await server.rows(sql`SELECT actor, kind FROM audit_events WHERE kind LIKE 'record.%' ORDER BY id`);
		expect(audit).toEqual([{ actor: 'grace', kind: 'record.attached' }]);
	});

	it('[C14] a conference routed with button skills cannot be transferred; with omni it can', async () => {
		await boot();
		const tech = await patChatWith('linus@parley.test', 'Technical');
		const adaT = await conferenceIn(tech.agent, tech.customer.chatId, 'ada@parley.test');
		const refused = await tech.agent.call('POST', `/api/chats/${tech.customer.chatId}/transfer`, { agentId: 'margaret' });
		expect(refused.status).toBe(409);
		expect(refused.body.error.code).toBe('TRANSFER_NEEDS_OMNI');
		expect(adaT).toBeTruthy();

		const bill = await patChatWith('grace@parley.test', 'Billing');
		await conferenceIn(bill.agent, bill.customer.chatId, 'ada@parley.test');
		const margaret = await availableAgent(server, 'margaret@parley.test');
		const sent = await bill.agent.call('POST', `/api/chats/${bill.customer.chatId}/transfer`, { agentId: 'margaret' });
		expect(sent.status).toBe(201);
		expect((await margaret.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		const custDoc = connectDoc(server.url, `chat/${bill.customer.chatId}`, bill.customer.token);
		cleanup.push(custDoc.destroy);
		await custDoc.synced();
		const texts = custDoc.messages().map((m) => m.text);
		expect(texts).toContain('Grace transferred the chat to Margaret');
		expect(texts).toContain('Grace left the chat');
		const agents = await server.rows(
			sql`SELECT user_id AS id FROM chat_participants WHERE chat_id = ${bill.customer.chatId} AND role = 'agent' AND left_at IS NULL ORDER BY user_id`
		);
		expect(agents).toEqual([{ id: 'ada' }, { id: 'margaret' }]);
	});

	it('[L4] a one-agent chat transfers to a skill; a decline tells the requester', async () => {
		await boot();
		const { agent: grace, customer } = await patChatWith('grace@parley.test');
		const ada = await availableAgent(server, 'ada@parley.test');
		const desk = connectDoc(server.url, 'agent/grace', grace.sessionToken);
		cleanup.push(desk.destroy);
		await desk.synced();
		const first = await grace.call('POST', `/api/chats/${customer.chatId}/transfer`, { agentId: 'ada' });
		expect((await ada.call('POST', `/api/conference-requests/${first.body.requestId}/decline`)).status).toBe(200);
		await eventually(() => expect([...desk.doc.getMap<any>('banners').values()].map((b) => b.text)).toEqual(['Ada declined your transfer request.']));
		const second = await grace.call('POST', `/api/chats/${customer.chatId}/transfer`, { skill: 'billing' });
		expect(second.status).toBe(201);
		expect((await ada.call('POST', `/api/conference-requests/${second.body.requestId}/accept`)).status).toBe(200);
		expect((await grace.call('GET', `/api/chats/${customer.chatId}/workspace`)).status).toBe(403);
		expect((await ada.call('GET', `/api/chats/${customer.chatId}/workspace`)).body).toMatchObject({ owner: { id: 'ada' }, live: true });
	});
});
