import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signIn, startCustomerChat } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

let server: TestServer;
const cleanup: (() => void)[] = [];
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	cleanup.splice(0).forEach((f) => f());
	await server.stop();
});
const open = (doc: string, token?: string) => {
	const c = connectDoc(server.url, doc, token);
	cleanup.push(c.destroy);
	return c;
};

describe('who may open which document', () => {
	it("[access] a customer cannot open another chat's documents or any agents document", async () => {
		const a = await startCustomerChat(server, 'Billing', 'Ann', 'ann@example.com');
		const b = await startCustomerChat(server, 'Billing', 'Bob', 'bob@example.com');
		await open(`chat/${b.chatId}`, a.token).closedWith(4403);
		await open(`chat/${a.chatId}/agents`, a.token).closedWith(4403);
		await open(`agent/ada`, a.token).closedWith(4403);
		const own = open(`chat/${a.chatId}`, a.token);
		await own.synced();
		expect(own.doc.getMap('meta').get('status')).toBe('waiting');
	});

	it('[access] without credentials the socket is closed 4401; unknown documents 4404', async () => {
		const a = await startCustomerChat(server);
		await open(`chat/${a.chatId}`).closedWith(4401);
		await open(`secret/x`, a.token).closedWith(4404);
	});

	it('[access] an agent not in the chat, an auditor and an admin cannot open it', async () => {
		const c = await startCustomerChat(server);
		for (const email of ['grace@parley.test', 'audit@parley.test', 'admin@parley.test']) {
			const who = await signIn(server, email);
			await open(`chat/${c.chatId}`, who.sessionToken).closedWith(4403);
		}
		const grace = await signIn(server, 'grace@parley.test');
		await open(`agent/ada`, grace.sessionToken).closedWith(4403);
	});

	it('[access] the customer cookie opens only its own chat over the API', async () => {
		const a = await startCustomerChat(server, 'Billing', 'Ann', 'ann@example.com');
		const b = await startCustomerChat(server, 'Billing', 'Bob', 'bob@example.com');
		expect((await a.call('GET', `/api/chats/${a.chatId}`)).status).toBe(200);
		expect((await a.call('GET', `/api/chats/${b.chatId}`)).status).toBe(403);
		expect((await a.call('POST', `/api/chats/${b.chatId}/end`)).status).toBe(403);
		expect((await a.call('GET', '/api/me')).status).toBe(403);
	});

	it('[access] logging out closes the session sockets at once', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		const desk = open('agent/ada', ada.sessionToken);
		await desk.synced();
		expect((await ada.call('POST', '/api/auth/logout')).status).toBe(200);
		await desk.closedWith(4410);
		expect((await ada.call('GET', '/api/me')).status).toBe(401);
	});

	it('[access] state-changing requests from a foreign Origin are refused', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		const res = await ada.call('PUT', '/api/agents/me/presence', { status: 'available' }, { origin: 'https://evil.example' });
		expect(res.status).toBe(403);
		const me = await ada.call('GET', '/api/me');
		expect(me.body.user.presence).toBe('offline');
	});
});
