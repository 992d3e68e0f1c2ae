import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

describe('nothing seen is lost', () => {
	it('[durability] a restart on the same database keeps the whole conversation', async () => {
		let server: TestServer = await startTestServer();
		const { dataDir, databaseUrl } = server;
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const customer = await startCustomerChat(server);
		await ada.call('POST', `/api/chats/${customer.chatId}/accept`);
		const c = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		await c.synced();
		for (let i = 0; i < 20; i++)
			c.doc.getArray('messages').push([newTextMessage(customer.customer, `line ${i}`, Date.now(), `m${i}`)]);
		await eventually(async () =>
			expect((await server.docs.get(`chat/${customer.chatId}`)).doc.getArray<any>('messages').toArray().filter((m) => m.kind === 'text')).toHaveLength(20)
		);
		const seen = JSON.stringify(c.doc.getArray('messages').toJSON());
		c.destroy();
		await server.stop(false);

		server = await startTestServer({ dataDir, databaseUrl });
		cleanup.push(() => server.stop());
		const again = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		cleanup.push(again.destroy);
		await again.synced();
		expect(JSON.stringify(again.doc.getArray('messages').toJSON())).toBe(seen);
		expect(again.doc.getMap('meta').get('status')).toBe('active');
		// The session survives too, and the agent can carry on.
		const adaChat = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
		cleanup.push(adaChat.destroy);
		await adaChat.synced();
		adaChat.doc.getArray('messages').push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'back', Date.now(), 'b1')]);
		await eventually(() => expect(again.messages().some((m) => m.text === 'back')).toBe(true));
	});

	it('[durability] every accepted update is in the log with its actor, before it is visible', async () => {
		const server = await startTestServer();
		cleanup.push(() => server.stop());
		const customer = await startCustomerChat(server);
		const c = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		cleanup.push(c.destroy);
		await c.synced();
		c.doc.getArray('messages').push([newTextMessage(customer.customer, 'hello', Date.now(), 'h1')]);
		await eventually(async () => {
			const rows = await server.rows<{ seq: number; actor: string }>(sql`SELECT seq, actor FROM doc_updates WHERE doc = ${`chat/${customer.chatId}`} ORDER BY seq`);
			expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
			expect(rows.at(-1)?.actor).toBe(customer.customer.id);
		});
	});

	it('[B1] awareness carries typing with the user the server knows, whatever the client claims', async () => {
		const server = await startTestServer();
		cleanup.push(() => server.stop());
		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const customer = await startCustomerChat(server);
		await ada.call('POST', `/api/chats/${customer.chatId}/accept`);
		const c = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		const a = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
		cleanup.push(c.destroy, a.destroy);
		await Promise.all([c.synced(), a.synced()]);
		c.provider.awareness.setLocalState({ typing: true, user: { id: 'ada', name: 'Ada', role: 'agent' } });
		await eventually(() => {
			const states = [...a.provider.awareness.getStates().values()].filter((s) => s.typing);
			expect(states).toHaveLength(1);
			expect(states[0].user).toEqual({ id: customer.customer.id, name: 'Pat', role: 'customer' });
		});
	});
});
