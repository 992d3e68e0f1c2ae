import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { acceptedChat, available, customerChat, expectKeys, expectMs, login } from './readme';

// README "Live documents — WebSocket /sync/<doc>" and "The agents' huddle": the shapes of the
// roots as a stock y-websocket client reads them, whispers and the shared draft. (Access and
// close codes: tests/integration/access.test.ts, tests/security/gateway.test.ts; awareness:
// tests/integration/durability.test.ts.)

let server: TestServer;
const open: { destroy(): void }[] = [];
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	open.splice(0).forEach((c) => c.destroy());
	await server.stop();
});

async function sync(name: string, token: string | undefined) {
	const client = connectDoc(server.url, name, token);
	open.push(client);
	await client.synced();
	return client;
}

describe('[sync] README "Live documents": chat/<id>', () => {
	it('[access] a name of no document kind is 4404; a well-formed one of a chat or agent that does not exist is 4403', async () => {
		const { ada, customer } = await acceptedChat(server);
		for (const [name, token, code] of [
			[`chat/${customer.chatId}/x`, customer.token, 4404],
			['agent/ada/x', ada.sessionToken, 4404],
			['chat/no-such-chat', ada.sessionToken, 4403],
			['chat/no-such-chat/agents', ada.sessionToken, 4403],
			['agent/nobody', ada.sessionToken, 4403]
		] as const) {
			const client = connectDoc(server.url, name, token);
			open.push(client);
			await client.closedWith(code);
		}
	});

	it('[sync] messages, participants and meta have the README shapes, times in ms, while waiting and once answered', async () => {
		const customer = await customerChat(server);
		const chat = await sync(`chat/${customer.chatId}`, customer.token);
		const meta = () => chat.doc.getMap<any>('meta').toJSON();
		const participants = () => chat.doc.getMap<any>('participants').toJSON();

		await eventually(() => expect(meta().queue).toBeDefined());
		expect(meta()).toMatchObject({ status: 'waiting', topic: 'Billing', routing: 'omni' });
		expectKeys(meta().queue, ['position', 'etaMs', 'noAgent']);
		const notice = chat.messages()[0];
		expectKeys(notice, ['id', 'kind', 'author', 'text', 'at']);
		expect(notice).toMatchObject({ kind: 'system', author: { role: 'system' } });
		expectKeys(notice.author, ['id', 'role', 'name']);
		expectMs(notice.at);

		const ada = await available(server, 'ada@parley.test');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		await eventually(() => expect(participants().ada).toBeDefined());
		expect(meta().status).toBe('active');
		// `queue` keeps its last value once answered: meaningful only while `status` is `waiting`.
		expectKeys(participants().ada, ['id', 'role', 'name', 'joinedAt'], ['leftAt']);
		expect(participants().ada).toMatchObject({ id: 'ada', role: 'agent', name: 'Ada' });
		expectMs(participants().ada.joinedAt);
		expect(chat.messages().at(-1)).toMatchObject({ kind: 'system', text: 'Ada joined the chat' });
	});

	it('[C6] an agent who leaves keeps its participant entry with `leftAt` (ms); "Grace left the chat" is a system message', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		const chat = await sync(`chat/${customer.chatId}`, customer.token);
		expect((await grace.call('POST', `/api/chats/${customer.chatId}/leave`)).status).toBe(200);
		const gone = await eventually(() => {
			const entry = chat.doc.getMap<any>('participants').get('grace');
			expect(entry?.leftAt).toBeDefined();
			return entry;
		});
		expectKeys(gone, ['id', 'role', 'name', 'joinedAt', 'leftAt']);
		expectMs(gone.leftAt);
		expect(gone.leftAt).toBeGreaterThanOrEqual(gone.joinedAt);
		await eventually(() => expect(chat.messages().at(-1)).toMatchObject({ kind: 'system', text: 'Grace left the chat' }));
	});
});

describe('[B6] README "The agents\' huddle": read-only connections', () => {
	it('[B6] a supervisor watching chat/<id> (read-only) is not announced in awareness; writers are', async () => {
		const { ada, customer } = await acceptedChat(server);
		const sam = await login(server, 'sam@parley.test');
		const watching = await sync(`chat/${customer.chatId}`, sam.cookies.get('parley_session'));
		const cust = await sync(`chat/${customer.chatId}`, customer.token);
		const agent = await sync(`chat/${customer.chatId}`, ada.sessionToken);
		const users = () => [...cust.provider.awareness.getStates().values()].map((s) => s.user?.id).filter(Boolean);
		for (const round of [1, 2]) {
			watching.provider.awareness.setLocalStateField('round', round);
			agent.provider.awareness.setLocalStateField('round', round);
			// Sam's frame went first on its own socket; once Ada's arrived, Sam's was handled too.
			await eventually(() => expect(cust.provider.awareness.getStates().get(agent.doc.clientID)?.round).toBe(round));
		}
		expect(users()).toContain('ada');
		expect(users()).not.toContain('sam');
		expect(watching.closes).toEqual([]);
	});
});

describe('[B8] README "Live documents": a rating in meta and the agents\' banner', () => {
	it('[B8] POST rating answers {rating: {score, comment, at}}; meta.rating holds the same; agents at the end get a `rated` banner', async () => {
		const { ada, customer } = await acceptedChat(server);
		const desk = await sync(`agent/ada`, ada.sessionToken);
		const chat = await sync(`chat/${customer.chatId}`, customer.token);
		expect((await customer.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		const rated = await customer.call('POST', `/api/chats/${customer.chatId}/rating`, { score: 5, comment: '  Quick and kind  ' });
		expect(rated.status).toBe(201);
		expectKeys(rated.body, ['rating']);
		expect(rated.body.rating).toEqual({ score: 5, comment: 'Quick and kind', at: expect.any(Number) });
		expectMs(rated.body.rating.at);
		await eventually(() => expect(chat.doc.getMap('meta').get('rating')).toEqual(rated.body.rating));
		const banner = await eventually(() => {
			const found = Object.values(desk.doc.getMap<any>('banners').toJSON()).find((b: any) => b.kind === 'rated');
			expect(found).toBeDefined();
			return found;
		});
		expectKeys(banner, ['id', 'chatId', 'kind', 'text', 'at']);
		expect(banner.chatId).toBe(customer.chatId);
	});
});

describe('[B2][B3] README "The agents\' huddle": chat/<id>/agents', () => {
	it('[B2] a whisper of exactly {id, author, text, at} lands for the other agent; the customer\'s token gets 4403', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		const adaHuddle = await sync(`chat/${customer.chatId}/agents`, ada.sessionToken);
		const graceHuddle = await sync(`chat/${customer.chatId}/agents`, grace.sessionToken);
		const whisper = { id: 'w1', author: { id: 'ada', role: 'agent', name: 'Ada' }, text: 'Refund is approved', at: Date.now() };
		adaHuddle.doc.getArray('whispers').push([whisper]);
		await eventually(() => expect(graceHuddle.doc.getArray('whispers').toArray()).toEqual([whisper]));
		expect(adaHuddle.closes).toEqual([]);

		const refusedCustomer = connectDoc(server.url, `chat/${customer.chatId}/agents`, customer.token);
		open.push(refusedCustomer);
		await refusedCustomer.closedWith(4403);
	});

	it('[B3] text typed and deleted while offline arrives with its deletion, and is taken', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		const adaHuddle = await sync(`chat/${customer.chatId}/agents`, ada.sessionToken);
		const graceHuddle = await sync(`chat/${customer.chatId}/agents`, grace.sessionToken);
		const draft = adaHuddle.doc.getText('draft');
		draft.insert(0, 'Hello');
		await eventually(() => expect(graceHuddle.doc.getText('draft').toString()).toBe('Hello'));
		adaHuddle.provider.disconnect();
		draft.insert(5, ' Kimm');
		draft.delete(9, 1);
		draft.insert(9, ', all set');
		draft.delete(0, 5);
		draft.insert(0, 'Hi');
		adaHuddle.provider.connect();
		await eventually(() => expect(graceHuddle.doc.getText('draft').toString()).toBe('Hi Kim, all set'));
		expect(adaHuddle.closes.filter((c) => c.code >= 4000)).toEqual([]);
	});

	it('[B3] the draft is co-edited plain text; draft/send answers {messageId}: that message in chat/<id>, by the sender; the draft empties', async () => {
		const { ada, customer } = await acceptedChat(server);
		const huddle = await sync(`chat/${customer.chatId}/agents`, ada.sessionToken);
		const chat = await sync(`chat/${customer.chatId}`, customer.token);
		huddle.doc.getText('draft').insert(0, 'Hello Kim,\nyour refund is on its way.');
		const text = 'Hello Kim,\nyour refund is on its way.';
		await eventually(async () => {
			const res = await ada.call('POST', `/api/chats/${customer.chatId}/draft/send`, { text });
			expect(res.status).toBe(200);
			expect(Object.keys(res.body)).toEqual(['messageId']);
			const message = await eventually(() => {
				const found = chat.messages().find((m) => m.id === res.body.messageId);
				expect(found).toBeDefined();
				return found;
			});
			expect(message).toMatchObject({ kind: 'text', author: { id: 'ada', role: 'agent', name: 'Ada' }, text });
			expectMs(message.at);
		});
		await eventually(() => expect(huddle.doc.getText('draft').toString()).toBe(''));
		expect(huddle.closes).toEqual([]);
	});
});
