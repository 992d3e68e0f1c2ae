import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// The gateway's write policy on the real server: forged updates are refused with 4400, the
// document is unchanged, and honest peers are unaffected.
let server: TestServer;
const cleanup: (() => void)[] = [];
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	cleanup.splice(0).forEach((f) => f());
	await server.stop();
});

async function activeChat() {
	const ada = await signIn(server, 'ada@parley.test');
	await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
	const customer = await startCustomerChat(server, 'Billing');
	expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
	const agent = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
	cleanup.push(agent.destroy);
	await agent.synced();
	return { ada, customer, agent };
}

/** Connects the attacker's client, lets it sync, then makes the forged change in its doc. */
async function forge(chatId: string, token: string, change: (doc: Y.Doc) => void) {
	const attacker = connectDoc(server.url, `chat/${chatId}`, token);
	cleanup.push(attacker.destroy);
	await attacker.synced();
	change(attacker.doc);
	await attacker.closedWith(4400);
	return attacker;
}

/** A document as the server holds it, as JSON text. */
const serverJson = async (name: string) => JSON.stringify((await server.docs.get(name)).doc.toJSON());
const serverState = (chatId: string) => serverJson(`chat/${chatId}`);

describe('write policy at the gateway', () => {
	it('[write-policy] a message signed with another author is refused and changes nothing', async () => {
		const { customer, agent } = await activeChat();
		const before = await serverState(customer.chatId);
		await forge(customer.chatId, customer.token, (doc) =>
			doc.getArray('messages').push([newTextMessage({ id: 'ada', role: 'agent', name: 'Ada' }, 'refund approved', Date.now(), 'f1')])
		);
		expect(await serverState(customer.chatId)).toBe(before);
		expect(agent.messages().some((m) => m.text === 'refund approved')).toBe(false);
		expect(agent.closes).toEqual([]);
	});

	it('[write-policy] a write to participants is refused', async () => {
		const { customer } = await activeChat();
		const before = await serverState(customer.chatId);
		await forge(customer.chatId, customer.token, (doc) =>
			doc.getMap('participants').set('mallory', { id: 'mallory', role: 'agent', name: 'Mallory', joinedAt: 1 })
		);
		expect(await serverState(customer.chatId)).toBe(before);
	});

	it('[write-policy] deleting a message is refused', async () => {
		const { customer, agent } = await activeChat();
		const before = await serverState(customer.chatId);
		const count = agent.messages().length;
		await forge(customer.chatId, customer.token, (doc) => doc.getArray('messages').delete(0, 1));
		expect(await serverState(customer.chatId)).toBe(before);
		expect(agent.messages()).toHaveLength(count);
	});

	it('[write-policy] writing with a clientID bound to another user is refused', async () => {
		const { customer, agent, ada } = await activeChat();
		agent.doc.getArray('messages').push([newTextMessage({ id: ada.user.id, role: 'agent', name: 'Ada' }, 'hello', Date.now(), 'a1')]);
		await eventually(async () => expect(JSON.parse(await serverState(customer.chatId)).messages.some((m: any) => m.id === 'a1')).toBe(true));
		const before = await serverState(customer.chatId);
		const stolen = agent.doc.clientID;
		await forge(customer.chatId, customer.token, (doc) => {
			// Build the write in a copy that uses Ada's clientID (taking her next clock), then send it.
			const copy = new Y.Doc();
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
			copy.clientID = stolen;
			copy.on('update', (u: Uint8Array) => Y.applyUpdate(doc, u));
			copy.getArray('messages').push([newTextMessage(customer.customer, 'forged', Date.now(), 'f2')]);
		});
		expect(await serverState(customer.chatId)).toBe(before);
		// Ada's own next message still arrives (her clock was not taken).
		agent.doc.getArray('messages').push([newTextMessage({ id: ada.user.id, role: 'agent', name: 'Ada' }, 'still me', Date.now(), 'a2')]);
		await eventually(async () => expect(JSON.parse(await serverState(customer.chatId)).messages.some((m: any) => m.id === 'a2')).toBe(true));
	});

	it('[write-policy] the agent desk document is read-only: writes are dropped', async () => {
		const { ada } = await activeChat();
		const desk = connectDoc(server.url, `agent/${ada.user.id}`, ada.sessionToken);
		cleanup.push(desk.destroy);
		await desk.synced();
		const before = await serverJson(`agent/${ada.user.id}`);
		desk.doc.getMap('offers').set('x', { id: 'x' });
		await new Promise((r) => setTimeout(r, 200));
		expect(await serverJson(`agent/${ada.user.id}`)).toBe(before);
	});
});
