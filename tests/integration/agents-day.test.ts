import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { signIn } from '../helpers/api';
import { availableAgent, chatWith } from '../helpers/conference';
import { eventually, type TestServer } from '../helpers/server';
import { serverPerTest } from '../helpers/per-test';

// Issue 16 ("the agent's day"), server side: each test is named after the bullet.

const perTest = serverPerTest();
let server: TestServer;
async function boot() {
	server = await perTest.boot();
}
const open = perTest.open;

describe('issue 16: the agent’s day', () => {
	it('[#16 transfer] a transfer makes its target the owner and tells the customer who joined', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		// Linus joins first (a conference), so he attends longer than Grace will.
		const linus = await availableAgent(server, 'linus@parley.test');
		const conf = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'linus' });
		expect((await linus.call('POST', `/api/conference-requests/${conf.body.requestId}/accept`)).status).toBe(200);
		const grace = await availableAgent(server, 'grace@parley.test');
		const custDoc = open(`chat/${customer.chatId}`, customer.token);
		await custDoc.synced();

		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/transfer`, { agentId: 'grace' });
		expect(sent.status).toBe(201);
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);

		// Grace is the owner (C12): her workspace is the live one, Linus keeps his join-time set.
		expect((await grace.call('GET', `/api/chats/${customer.chatId}/workspace`)).body).toMatchObject({ owner: { id: 'grace' }, live: true });
		expect((await linus.call('GET', `/api/chats/${customer.chatId}/workspace`)).body).toMatchObject({ owner: { id: 'grace' }, live: false });
		const [chat] = await server.rows(sql`SELECT originating_agent_id AS origin FROM chats WHERE id = ${customer.chatId}`);
		expect(chat).toEqual({ origin: 'grace' });

		// The customer is told the whole story, in order.
		await eventually(() => {
			const texts = custDoc.messages().map((m) => m.text);
			const story = ['Ada transferred the chat to Grace', 'Grace joined the chat', 'Ada left the chat'];
			expect(texts.filter((t) => story.includes(t))).toEqual(story);
		});
		const audit = await server.rows(sql`SELECT actor, kind FROM audit_events WHERE chat_id = ${customer.chatId} AND kind LIKE 'transfer.%' ORDER BY id`);
		expect(audit).toEqual([
			{ actor: 'ada', kind: 'transfer.requested' },
			{ actor: 'grace', kind: 'transfer.accepted' }
		]);
	});

	it('[#16 live configuration] an admin’s change reaches each affected agent’s own document in the same decision', async () => {
		await boot();
		const { owner: ada, customer } = await chatWith(server);
		const margaret = await availableAgent(server, 'margaret@parley.test');
		const adaDesk = open('agent/ada', ada.sessionToken);
		const margaretDesk = open('agent/margaret', margaret.sessionToken);
		await Promise.all([adaDesk.synced(), margaretDesk.synced()]);
		const config = (desk: typeof adaDesk) => desk.doc.getMap('config').toJSON();
		const admin = await signIn(server, 'admin@parley.test');

		const off = await admin.call('PUT', '/api/admin/chat-configurations/default', { conferenceEnabled: false, requestTimeoutSec: 30 });
		expect(off.status).toBe(200);
		await eventually(() =>
			expect(config(adaDesk)).toEqual({ configurationId: 'default', name: 'Default', conferenceEnabled: false, requestTimeoutSec: 30, at: expect.any(Number) })
		);
		// The console's facts and the server's agree: the request is refused.
		const refused = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(refused.body.error.code).toBe('CONFERENCE_DISABLED');
		expect(config(margaretDesk)).toEqual({});

		// Moving Margaret onto Default tells her desk (and Ada's, whose configuration changed again).
		const agentIds = ['ada', 'grace', 'linus', 'margaret'];
		expect((await admin.call('PUT', '/api/admin/chat-configurations/default', { conferenceEnabled: true, agentIds })).status).toBe(200);
		await eventually(() => expect(config(margaretDesk)).toMatchObject({ configurationId: 'default', conferenceEnabled: true, requestTimeoutSec: 30 }));
		await eventually(() => expect(config(adaDesk)).toMatchObject({ conferenceEnabled: true }));
		// Taking her off it again leaves her without one: conferencing off, no timeout.
		expect((await admin.call('PUT', '/api/admin/chat-configurations/default', { agentIds: ['ada', 'grace', 'linus'] })).status).toBe(200);
		await eventually(() => expect(config(margaretDesk)).toMatchObject({ configurationId: null, name: null, conferenceEnabled: false, requestTimeoutSec: null }));
		// The desk's change is logged as the server's, like every other write to it (A1).
		const logged = await server.rows(sql`SELECT actor FROM doc_updates WHERE doc = 'agent/margaret' ORDER BY seq`);
		expect(logged.length).toBeGreaterThan(0);
		expect(new Set(logged.map((r) => r.actor))).toEqual(new Set(['server']));
	});
});
