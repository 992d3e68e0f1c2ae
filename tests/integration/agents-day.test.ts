import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { availableAgent, chatWith } from '../helpers/conference';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// Issue 16 ("the agent's day"), server side: each test is named after the bullet.

let server: TestServer;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});
async function boot() {
	server = await startTestServer();
	cleanup.push(() => server.stop());
}
const open = (doc: string, token?: string) => {
	const c = connectDoc(server.url, doc, token);
	cleanup.push(c.destroy);
	return c;
};

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
});
