import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { acceptedChat, available, customerChat, expectError } from './readme';

// README "Limits", the rows no other suite checks with a client written from the README:
// an awareness state's size, the chat cookies looked at when a chat starts, and the display
// name counted in code points. (Frames, sockets, budgets: tests/security/gateway.test.ts,
// transcript.test.ts; request bodies and chat counts: api.test.ts, http-limits.test.ts.)

let server: TestServer;
const open: { destroy(): void }[] = [];
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	open.splice(0).forEach((c) => c.destroy());
	await server.stop();
});

describe('[security] README "Limits"', () => {
	it('[B1] an awareness state up to 4,096 characters is passed on; a longer one closes the socket 4402', async () => {
		const { ada, customer } = await acceptedChat(server);
		const agent = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
		const cust = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		open.push(agent, cust);
		await Promise.all([agent.synced(), cust.synced()]);
		// The state as the client encodes it ({"note":"…"}) is 4,000 characters: passed on.
		cust.provider.awareness.setLocalState({ note: 'n'.repeat(3989) });
		await eventually(() => expect(agent.provider.awareness.getStates().get(cust.doc.clientID)?.note).toHaveLength(3989));
		cust.provider.awareness.setLocalState({ note: 'n'.repeat(4100) });
		await cust.closedWith(4402);
		expect(agent.closes).toEqual([]);
	});

	it('[T4] only the first 32 `parley_chat_*` cookies are looked at when a chat starts', async () => {
		const ada = await available(server, 'ada@parley.test');
		const first = await customerChat(server);
		expect((await ada.call('POST', `/api/chats/${first.chatId}/accept`)).status).toBe(200);
		expect((await first.call('POST', `/api/chats/${first.chatId}/end`)).status).toBe(200);
		const proof = `parley_chat_${first.chatId}=${first.cookies.get(`parley_chat_${first.chatId}`)}`;
		const junk = Array.from({ length: 32 }, (_, i) => `parley_chat_junk${i}=nothing${i}`);
		const identityOf = async (cookie: string) => {
			const started = await new ApiClient(server.url).call('POST', '/api/chats', { name: 'Kim', email: 'kim@example.com', topic: 'Billing' }, { cookie });
			expect(started.status).toBe(201);
			expect((await ada.call('POST', `/api/chats/${started.body.chatId}/accept`)).status).toBe(200);
			const chat = (await ada.call('GET', `/api/chats/${started.body.chatId}`)).body.chat;
			await ada.call('POST', `/api/chats/${started.body.chatId}/end`);
			return chat.identity;
		};
		expect(await identityOf([...junk.slice(0, 31), proof].join('; '))).toBe('token');
		expect(await identityOf([...junk, proof].join('; '))).toBe('claimed');
	});

	it('[T2] a display name is 80 code points after normalization, not UTF-16 units; at most 4 combining marks in a row', async () => {
		const anon = new ApiClient(server.url);
		const start = (name: string, email: string) => anon.call('POST', '/api/chats', { name, email, topic: 'Billing' });
		const emoji = await start('😀'.repeat(80), 'e@example.com');
		expect(emoji.status).toBe(201);
		expect(emoji.body.customer.name).toBe('😀'.repeat(80));
		// Runs of white space count once, after normalization: 80 letters between spaces fit.
		expect((await start(`   ${'k'.repeat(40)}     ${'k'.repeat(39)}   `, 's@example.com')).status).toBe(201);
		// `x` has no precomposed form with these marks, so NFC keeps every one of them.
		expect((await start('Max\u0301\u0302\u0303\u0304', 'z@example.com')).status).toBe(201);
		expectError(await start('Max\u0301\u0302\u0303\u0304\u0306', 'z2@example.com'), 400, 'BAD_INPUT', 'name');
	});
});
