import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
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
const track = <T extends { destroy(): void }>(c: T) => (cleanup.push(() => c.destroy()), c);

describe('chat lifecycle on the real server', () => {
	it('[L1][L2] an omni chat is pushed to the available agent, accepted, and messages flow both ways', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		expect((await ada.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
		const adaDesk = track(connectDoc(server.url, `agent/${ada.user.id}`, ada.sessionToken));
		await adaDesk.synced();

		const customer = await startCustomerChat(server, 'Billing');
		const custDoc = track(connectDoc(server.url, `chat/${customer.chatId}`, customer.token));
		await custDoc.synced();
		expect(custDoc.doc.getMap('meta').get('status')).toBe('waiting');

		const offer = await eventually(() => {
			const offers = [...adaDesk.doc.getMap<any>('offers').values()];
			expect(offers).toHaveLength(1);
			return offers[0];
		});
		expect(offer).toMatchObject({ chatId: customer.chatId, topic: 'Billing', customerName: 'Pat' });

		const accepted = await ada.call('POST', `/api/chats/${customer.chatId}/accept`);
		expect(accepted.status).toBe(200);
		await eventually(() => expect(adaDesk.doc.getMap('offers').size).toBe(0));
		await eventually(() => expect(adaDesk.doc.getMap('chats').has(customer.chatId)).toBe(true));
		await eventually(() => expect(custDoc.doc.getMap('meta').get('status')).toBe('active'));
		expect(custDoc.doc.getMap<any>('participants').get('ada')).toMatchObject({ role: 'agent', name: 'Ada' });

		const adaChat = track(connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken));
		await adaChat.synced();
		custDoc.doc.getArray('messages').push([newTextMessage(customer.customer, 'My invoice is wrong', Date.now(), 'm1')]);
		await eventually(() => expect(adaChat.messages().map((m) => m.text)).toContain('My invoice is wrong'));
		adaChat.doc
			.getArray('messages')
			.push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'Let me look', Date.now(), 'm2')]);
		await eventually(() => expect(custDoc.messages().map((m) => m.text)).toContain('Let me look'));
		expect(custDoc.closes).toEqual([]);
		expect(adaChat.closes).toEqual([]);

		expect((await ada.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		await eventually(() => expect(custDoc.doc.getMap('meta').get('status')).toBe('ended'));
		await eventually(() => expect(adaDesk.doc.getMap('chats').size).toBe(0));
	});

	it('[L1] button routing offers every available agent with the skill; two simultaneous accepts give one 200 and one 409', async () => {
		const ada = await signIn(server, 'ada@parley.test');
		const linus = await signIn(server, 'linus@parley.test');
		const grace = await signIn(server, 'grace@parley.test');
		for (const a of [ada, linus, grace]) await a.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const desks = [ada, linus, grace].map((a) => track(connectDoc(server.url, `agent/${a.user.id}`, a.sessionToken)));
		const customer = await startCustomerChat(server, 'Technical');
		await eventually(() => {
			expect(desks[0].doc.getMap('offers').size).toBe(1);
			expect(desks[1].doc.getMap('offers').size).toBe(1);
		});
		expect(desks[2].doc.getMap('offers').size).toBe(0); // grace has no tech skill

		const results = await Promise.all([
			ada.call('POST', `/api/chats/${customer.chatId}/accept`),
			linus.call('POST', `/api/chats/${customer.chatId}/accept`)
		]);
		expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
		expect(results.find((r) => r.status === 409)?.body.error.code).toBe('TAKEN');
		await eventually(() => desks.forEach((d) => expect(d.doc.getMap('offers').size).toBe(0)));
		const me = await customer.call('GET', `/api/chats/${customer.chatId}`);
		expect(me.body.chat.status).toBe('active');
	});

	it('[L3] an agent at capacity is not offered more omni chats; a busy agent gets none', async () => {
		const grace = await signIn(server, 'grace@parley.test');
		await grace.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const chats = [];
		for (let i = 0; i < 3; i++) chats.push(await startCustomerChat(server, 'Billing', `C${i}`, `c${i}@example.com`));
		for (const c of chats.slice(0, 2)) expect((await grace.call('POST', `/api/chats/${c.chatId}/accept`)).status).toBe(200);
		const third = await grace.call('POST', `/api/chats/${chats[2].chatId}/accept`);
		expect(third.status).toBe(403); // never offered: grace is full (2 of 2)
		expect((await grace.call('GET', '/api/agents/me/chats')).body).toMatchObject({ capacity: 2, active: 2 });

		const ada = await signIn(server, 'ada@parley.test');
		await ada.call('PUT', '/api/agents/me/presence', { status: 'busy' });
		expect((await ada.call('POST', `/api/chats/${chats[2].chatId}/accept`)).status).toBe(403);
		await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
		expect((await ada.call('POST', `/api/chats/${chats[2].chatId}/accept`)).status).toBe(200);
	});
});
