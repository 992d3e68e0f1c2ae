import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newTextMessage } from '../../src/lib/core/message-policy';
import * as P from '../../server/sync/protocol';
import { startCustomerChat } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { messageIds } from './forge';
import { RawSocket, updateFrame } from './raw-socket';

// Found by the chaos test: a client that reconnects with an offline backlog and types before it
// has answered the server's SyncStep1 sends an Update that depends on the backlog, then the
// SyncStep2 that carries both. Refusing that Update (clock gap) blocked an honest client for good
// and lost its messages.
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server?.stop();
});

describe('[durability][B4] typing while reconnecting', () => {
	it('[durability] an Update that depends on the backlog, sent before the SyncStep2 that carries it, is not refused; after it a gap still is', async () => {
		const customer = await startCustomerChat(server);
		const name = `chat/${customer.chatId}`;
		const device = new Y.Doc();
		Y.applyUpdate(device, Y.encodeStateAsUpdate((await server.docs.get(name)).doc));
		const updates: Uint8Array[] = [];
		device.on('update', (u: Uint8Array) => updates.push(u));
		const type = (id: string) => device.getArray('messages').push([newTextMessage(customer.customer, id, Date.now(), id)]);
		type('offline-1'); // typed while offline
		type('typed-on-reconnect'); // typed just after the socket opened

		const s = new RawSocket(server.url, name, { token: customer.token });
		const sv = await s.serverStateVector();
		s.send(updateFrame(updates[1])); // the stock client sends this before it reads our SyncStep1
		s.send(updateFrame(Y.encodeStateAsUpdate(device, sv), P.SYNC_STEP2)); // its answer: everything we miss
		expect(await s.barrier()).toBeNull();
		expect(messageIds((await server.docs.get(name)).doc)).toEqual(expect.arrayContaining(['offline-1', 'typed-on-reconnect']));

		type('lost-in-transit');
		type('after-a-gap');
		s.send(updateFrame(updates[3]));
		expect((await s.barrier())?.code).toBe(P.CLOSE.UPDATE_REFUSED);
		expect(messageIds((await server.docs.get(name)).doc)).not.toContain('after-a-gap');
		s.close();
	});
});
