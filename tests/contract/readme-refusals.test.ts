import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { acceptedChat, available, customerChat, expectError, login } from './readme';

// README "API": the refusals each row names, with the code a client branches on, for the codes
// no other suite asks for by name.

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

describe('[api] README "API": refusals by code', () => {
	it('[C8] ending an ended chat is 409 CHAT_ENDED, for its customer and its agent alike; leaving it is 409 CHAT_NOT_ACTIVE', async () => {
		const { ada, customer } = await acceptedChat(server);
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expectError(await customer.call('POST', `/api/chats/${customer.chatId}/end`), 409, 'CHAT_ENDED');
		expectError(await ada.call('POST', `/api/chats/${customer.chatId}/end`), 409, 'CHAT_ENDED');
		expectError(await ada.call('POST', `/api/chats/${customer.chatId}/leave`), 409, 'CHAT_NOT_ACTIVE');
	});

	it('[L3] accepting a chat never offered is 403 NOT_OFFERED; an offered one past capacity is 409 AT_CAPACITY', async () => {
		// Technical is routed `button`: every chat is offered to Linus (capacity 2) while he has room.
		const linus = await available(server, 'linus@parley.test');
		const chats = [];
		for (const name of ['Kim', 'Lee', 'Max']) chats.push(await customerChat(server, 'Technical', name, `${name.toLowerCase()}@example.com`));
		expect((await linus.call('POST', `/api/chats/${chats[0].chatId}/accept`)).status).toBe(200);
		expect((await linus.call('POST', `/api/chats/${chats[1].chatId}/accept`)).status).toBe(200);
		expectError(await linus.call('POST', `/api/chats/${chats[2].chatId}/accept`), 409, 'AT_CAPACITY');
		const grace = await login(server, 'grace@parley.test');
		expectError(await grace.call('POST', `/api/chats/${chats[2].chatId}/accept`), 403, 'NOT_OFFERED');
	});

	it('[C2][C3] TARGET_UNAVAILABLE for an agent who is offline, NO_AGENT_AVAILABLE for a skill nobody free has; NOT_PARTICIPANT outside the chat', async () => {
		const { ada, customer } = await acceptedChat(server);
		const url = `/api/chats/${customer.chatId}/conference-requests`;
		expectError(await ada.call('POST', url, { agentId: 'grace' }), 409, 'TARGET_UNAVAILABLE');
		expectError(await ada.call('POST', url, { skill: 'tech' }), 409, 'NO_AGENT_AVAILABLE');
		const grace = await available(server, 'grace@parley.test');
		expectError(await grace.call('POST', url, { agentId: 'linus' }), 403, 'NOT_PARTICIPANT');
	});

	it('[C15] cancelling another agent\'s request is 403 NOT_REQUESTER; accepting one offered to someone else is 403 NOT_OFFERED', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const linus = await available(server, 'linus@parley.test');
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		expect(sent.status).toBe(201);
		expectError(await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/cancel`), 403, 'NOT_REQUESTER');
		expectError(await linus.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`), 403, 'NOT_OFFERED');
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/decline`)).status).toBe(200);
		expectError(await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`), 409, 'DECLINED');
	});

	it('[C11] attaching a record twice is 409 ALREADY_ATTACHED; records of an ended chat do not change (409 CHAT_NOT_ACTIVE)', async () => {
		const { ada, customer } = await acceptedChat(server);
		const url = `/api/chats/${customer.chatId}/records`;
		expect((await ada.call('POST', url, { recordId: 'rec-contact-pat' })).status).toBe(201);
		expectError(await ada.call('POST', url, { recordId: 'rec-contact-pat' }), 409, 'ALREADY_ATTACHED');
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expectError(await ada.call('DELETE', `${url}/rec-contact-pat`), 409, 'CHAT_NOT_ACTIVE');
	});
});
