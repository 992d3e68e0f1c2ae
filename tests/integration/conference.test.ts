import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { addAgents, availableAgent, chatWith } from '../helpers/conference';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

let server: TestServer;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});
async function boot(now?: () => number) {
	server = await startTestServer({ now });
	cleanup.push(() => server.stop());
}
const open = (doc: string, token?: string) => {
	const c = connectDoc(server.url, doc, token);
	cleanup.push(c.destroy);
	return c;
};
const texts = (c: ReturnType<typeof open>) => c.messages().map((m) => m.text);

describe('chat conferencing on the real server', () => {
	it('[C1] an agent whose configuration has conferencing off gets 403', async () => {
		await boot();
		const { owner, customer } = await chatWith(server, 'margaret@parley.test');
		await availableAgent(server, 'grace@parley.test');
		const res = await owner.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(res.status).toBe(403);
		expect(res.body.error.code).toBe('CONFERENCE_DISABLED');
		expect(await server.rows(sql`SELECT * FROM conference_requests`)).toEqual([]);
	});

	it('[C2][C4][C6] a request to one agent: accepted, the agent joins, everyone sees the notice, the agent chats at once', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const graceDesk = open('agent/grace', grace.sessionToken);
		const adaDesk = open('agent/ada', ada.sessionToken);
		const custDoc = open(`chat/${customer.chatId}`, customer.token);
		await Promise.all([graceDesk.synced(), adaDesk.synced(), custDoc.synced()]);

		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(sent.status).toBe(201);
		const { requestId } = sent.body;
		await eventually(() => expect(graceDesk.doc.getMap<any>('offers').get(requestId)).toMatchObject({ kind: 'conference', chatId: customer.chatId, requesterName: 'Ada' }));
		await eventually(() => expect(adaDesk.doc.getMap<any>('requests').get(requestId)).toMatchObject({ targetLabel: 'Grace' }));
		// Grace cannot open the chat before she joins.
		await open(`chat/${customer.chatId}`, grace.sessionToken).closedWith(4403);

		expect((await grace.call('POST', `/api/conference-requests/${requestId}/accept`)).status).toBe(200);
		await eventually(() => expect(texts(custDoc)).toContain('Grace joined the chat'));
		expect(custDoc.doc.getMap<any>('participants').get('grace')).toMatchObject({ role: 'agent', name: 'Grace' });
		await eventually(() => expect(graceDesk.doc.getMap('offers').size).toBe(0));
		await eventually(() => expect(adaDesk.doc.getMap('requests').size).toBe(0));
		await eventually(() => expect(graceDesk.doc.getMap('chats').has(customer.chatId)).toBe(true));

		const graceChat = open(`chat/${customer.chatId}`, grace.sessionToken);
		await graceChat.synced();
		graceChat.doc.getArray('messages').push([newTextMessage({ id: 'grace', role: 'agent', name: 'Grace' }, 'Hi, Grace here', Date.now(), 'g1')]);
		await eventually(() => expect(texts(custDoc)).toContain('Hi, Grace here'));
		const audit = await server.rows(sql`SELECT actor, kind FROM audit_events WHERE chat_id = ${customer.chatId} AND kind LIKE 'conference.%' ORDER BY id`);
		expect(audit).toEqual([
			{ actor: 'ada', kind: 'conference.requested' },
			{ actor: 'grace', kind: 'conference.accepted' }
		]);
	});

	it('[C2] 20 agents accept one skill request at once: one 200, nineteen 409 TAKEN, one participant, one notice', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const crowd = await addAgents(server, 20, ['tech'], 'tech');
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { skill: 'tech' });
		expect(sent.status).toBe(201);
		expect(sent.body.offeredTo).toBeGreaterThanOrEqual(20);
		const results = await Promise.all(crowd.map((c) => c.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)));
		expect(results.filter((r) => r.status === 200)).toHaveLength(1);
		const refused = results.filter((r) => r.status === 409);
		expect(refused).toHaveLength(19);
		expect(refused.every((r) => r.body.error.code === 'TAKEN')).toBe(true);
		const agents = await server.rows(sql`SELECT user_id FROM chat_participants WHERE chat_id = ${customer.chatId} AND role = 'agent' AND left_at IS NULL`);
		expect(agents).toHaveLength(2);
		const live = (await server.docs.get(`chat/${customer.chatId}`)).doc.getArray<any>('messages').toArray();
		expect(live.filter((m) => /^Tech \d+ joined the chat$/.test(m.text))).toHaveLength(1);
		// the offer vanished from every other console
		for (const c of crowd) {
			const offers = (await server.docs.get(`agent/${c.user.id}`)).doc.getMap('offers');
			expect(offers.size).toBe(0);
		}
	});

	it('[C3] several requests may be pending for one chat, one target each', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		await availableAgent(server, 'grace@parley.test');
		await availableAgent(server, 'linus@parley.test');
		const a = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		const b = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { skill: 'tech' });
		expect([a.status, b.status]).toEqual([201, 201]);
		const dup = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(dup.status).toBe(409);
		const both = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace', skill: 'tech' });
		expect(both.status).toBe(400);
		expect(both.body.error.message).toMatch(/^agentId/);
	});

	it('[C5] a decline shows the requester a dismissible banner, not a line in the log', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const adaDesk = open('agent/ada', ada.sessionToken);
		const adaChat = open(`chat/${customer.chatId}`, ada.sessionToken);
		await Promise.all([adaDesk.synced(), adaChat.synced()]);
		const before = texts(adaChat);
		const { requestId } = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body;
		expect((await grace.call('POST', `/api/conference-requests/${requestId}/decline`)).status).toBe(200);
		const banner = await eventually(() => {
			const b = [...adaDesk.doc.getMap<any>('banners').values()];
			expect(b).toHaveLength(1);
			return b[0];
		});
		expect(banner).toMatchObject({ chatId: customer.chatId, kind: 'declined', text: 'Grace declined your conference request.' });
		expect(texts(adaChat)).toEqual(before);
		expect((await grace.call('POST', `/api/conference-requests/${requestId}/accept`)).body.error.code).toBe('DECLINED');
		expect((await grace.call('POST', `/api/banners/${banner.id}/dismiss`)).status).toBe(404); // not hers
		expect((await ada.call('POST', `/api/banners/${banner.id}/dismiss`)).status).toBe(200);
		await eventually(() => expect(adaDesk.doc.getMap('banners').size).toBe(0));
	});

	it('[C7][C6] leaving closes the leaver’s sockets and the others (and the customer) see a notice', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const { requestId } = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body;
		await grace.call('POST', `/api/conference-requests/${requestId}/accept`);
		const graceChat = open(`chat/${customer.chatId}`, grace.sessionToken);
		const graceAgents = open(`chat/${customer.chatId}/agents`, grace.sessionToken);
		const custDoc = open(`chat/${customer.chatId}`, customer.token);
		await Promise.all([graceChat.synced(), graceAgents.synced(), custDoc.synced()]);
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		await graceChat.closedWith(4410);
		await graceAgents.closedWith(4410);
		await eventually(() => expect(texts(custDoc)).toContain('Grace left the chat'));
		expect(custDoc.doc.getMap<any>('participants').get('grace').leftAt).toBeGreaterThan(0);
		await open(`chat/${customer.chatId}`, grace.sessionToken).closedWith(4403);
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(403);
	});

	it('[C8] the last agent cannot leave and only the last agent may end', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const alone = await ada.call('POST', `/api/chats/${customer.chatId}/leave`);
		expect(alone.status).toBe(409);
		expect(alone.body.error.code).toBe('LAST_AGENT');
		const { requestId } = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body;
		await grace.call('POST', `/api/conference-requests/${requestId}/accept`);
		const early = await ada.call('POST', `/api/chats/${customer.chatId}/end`);
		expect(early.status).toBe(409);
		expect(early.body.error.code).toBe('NOT_LAST_AGENT');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expect(await server.rows(sql`SELECT status FROM chats WHERE id = ${customer.chatId}`)).toEqual([{ status: 'ended' }]);
	});

	it('[C15] expiry: a request past its timeout cannot be accepted, even a millisecond late; the requester is told', async () => {
		let t = Date.now();
		await boot(() => t);
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const adaDesk = open('agent/ada', ada.sessionToken);
		await adaDesk.synced();
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		t = sent.body.expiresAt; // exactly at the deadline
		const late = await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`);
		expect(late.status).toBe(409);
		expect(late.body.error.code).toBe('EXPIRED');
		await eventually(() => expect([...adaDesk.doc.getMap<any>('banners').values()].map((b) => b.kind)).toEqual(['expired']));
		expect(await server.rows(sql`SELECT status FROM conference_requests`)).toEqual([{ status: 'expired' }]);
	});

	it('[C15] cancelled by the requester only; withdrawn when the requester leaves or the chat ends', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const grace = await availableAgent(server, 'grace@parley.test');
		const linus = await availableAgent(server, 'linus@parley.test');
		const graceDesk = open('agent/grace', grace.sessionToken);
		await graceDesk.synced();
		const r1 = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body.requestId;
		expect((await grace.call('POST', `/api/conference-requests/${r1}/cancel`)).status).toBe(403);
		expect((await ada.call('POST', `/api/conference-requests/${r1}/cancel`)).status).toBe(200);
		await eventually(() => expect(graceDesk.doc.getMap('offers').size).toBe(0));
		expect((await grace.call('POST', `/api/conference-requests/${r1}/accept`)).body.error.code).toBe('CANCELLED');

		// linus joins; ada asks grace, then leaves: the request is withdrawn
		const r2 = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { skill: 'tech' })).body.requestId;
		expect((await linus.call('POST', `/api/conference-requests/${r2}/accept`)).status).toBe(200);
		const r3 = (await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body.requestId;
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		expect((await grace.call('POST', `/api/conference-requests/${r3}/accept`)).body.error.code).toBe('WITHDRAWN');

		// linus asks grace, then ends the chat (he is the last agent): withdrawn
		const r4 = (await linus.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' })).body.requestId;
		expect((await linus.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expect((await grace.call('POST', `/api/conference-requests/${r4}/accept`)).body.error.code).toBe('WITHDRAWN');
		expect(await server.rows(sql`SELECT status, reason FROM conference_requests ORDER BY created_at`)).toEqual([
			{ status: 'cancelled', reason: null },
			{ status: 'accepted', reason: null },
			{ status: 'withdrawn', reason: 'requester_left' },
			{ status: 'withdrawn', reason: 'chat_ended' }
		]);
	});

	it('[C1] admin: only Customize Application may edit configurations; the change takes effect', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		await availableAgent(server, 'grace@parley.test');
		const { signIn } = await import('../helpers/api');
		const admin = await signIn(server, 'admin@parley.test');
		const list = await ada.call('GET', '/api/admin/chat-configurations');
		expect(list.status).toBe(200);
		expect(list.body.canEdit).toBe(false);
		expect((await ada.call('PUT', '/api/admin/chat-configurations/default', { conferenceEnabled: false })).status).toBe(403);
		const bad = await admin.call('PUT', '/api/admin/chat-configurations/default', { requestTimeoutSec: 1 });
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toMatch(/^requestTimeoutSec/);
		const ok = await admin.call('PUT', '/api/admin/chat-configurations/default', { conferenceEnabled: false, requestTimeoutSec: 30 });
		expect(ok.status).toBe(200);
		expect(ok.body.configuration).toMatchObject({ conferenceEnabled: false, requestTimeoutSec: 30 });
		const refused = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(refused.body.error.code).toBe('CONFERENCE_DISABLED');
		expect((await admin.call('PUT', '/api/admin/chat-configurations/nope', {})).status).toBe(404);
	});
});
