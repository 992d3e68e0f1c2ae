import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { acceptedChat, available, customerChat, expectError, expectKeys, expectMs, login } from './readme';

// README "API" rows of conference requests, transfers, banners, records and the workspace, and
// the `agent/<agentId>` document they write, read with a stock y-websocket client authenticated
// by the session token in `?token=` (README "Live documents").

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

/** `agent/<id>` as its agent syncs it: read-only, the session token in `?token=`. */
async function agentDoc(agent: { sessionToken?: string; user: { id: string } }) {
	const client = connectDoc(server.url, `agent/${agent.user.id}`, agent.sessionToken);
	await client.synced();
	const map = (name: string) => client.doc.getMap<any>(name).toJSON();
	return Object.assign(client, { map });
}

const until = <T>(read: () => T | undefined) =>
	eventually(() => {
		const value = read();
		if (value === undefined) throw new Error('not there yet');
		return value;
	});

describe('[C1-C15] README "API": conference requests and their offers', () => {
	it('[L1] a chat offer is {id, kind: "chat", chatId, topic, routing, customerName, verified, at}; accepted, it becomes a `chats` entry', async () => {
		const ada = await available(server, 'ada@parley.test');
		const desk = await agentDoc(ada);
		const customer = await customerChat(server);
		const offer = await until(() => Object.values(desk.map('offers')).find((o: any) => o.chatId === customer.chatId) as any);
		expectKeys(offer, ['id', 'kind', 'chatId', 'topic', 'routing', 'customerName', 'verified', 'at']);
		expect(offer).toMatchObject({ kind: 'chat', topic: 'Billing', routing: 'omni', customerName: 'Kim', verified: true });
		expectMs(offer.at);
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
		await until(() => (desk.map('offers')[offer.id] ? undefined : true));
		await until(() => desk.map('chats')[customer.chatId]);
		desk.destroy();
	});

	it('[C2] a request answers {requestId, expiresAt, offeredTo}; the offer card and the sent request have the README fields', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const graceDoc = await agentDoc(grace);
		const adaDoc = await agentDoc(ada);
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace', note: '  Knows the refund rules  ' });
		expect(sent.status).toBe(201);
		expectKeys(sent.body, ['requestId', 'expiresAt', 'offeredTo']);
		expectMs(sent.body.expiresAt);
		// Default configuration: request timeout 60 s (README "Demo logins").
		expect(sent.body.expiresAt - Date.now()).toBeGreaterThan(50_000);
		expect(sent.body.offeredTo).toBe(1);

		const offer = await until(() => graceDoc.map('offers')[sent.body.requestId]);
		expectKeys(offer, ['id', 'kind', 'requestId', 'chatId', 'topic', 'customerName', 'requesterName', 'request', 'target', 'at', 'expiresAt'], ['skill', 'note', 'lastCustomerMessage']);
		expect(offer).toMatchObject({ kind: 'conference', requestId: sent.body.requestId, chatId: customer.chatId, topic: 'Billing', customerName: 'Kim', requesterName: 'Ada', request: 'conference', target: 'agent', note: 'Knows the refund rules', expiresAt: sent.body.expiresAt });
		expectMs(offer.at);

		const request = await until(() => adaDoc.map('requests')[sent.body.requestId]);
		expectKeys(request, ['id', 'chatId', 'targetLabel', 'at', 'expiresAt']);
		expect(request).toMatchObject({ id: sent.body.requestId, chatId: customer.chatId, targetLabel: 'Grace', expiresAt: sent.body.expiresAt });

		const joined = await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`);
		expect(joined).toMatchObject({ status: 200, body: { chatId: customer.chatId, doc: `chat/${customer.chatId}` } });
		const entry = await until(() => graceDoc.map('chats')[customer.chatId]);
		expectKeys(entry, ['chatId', 'topic', 'customerName', 'verified', 'joinedAt'], ['workspaceAt']);
		expect(entry).toMatchObject({ chatId: customer.chatId, topic: 'Billing', customerName: 'Kim', verified: true });
		expectMs(entry.joinedAt);
		graceDoc.destroy();
		adaDoc.destroy();
	});

	it('[C5] decline {reason} answers {requestId, status}; the requester gets a `declined` banner quoting it, dismissed with {ok: true}', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const adaDoc = await agentDoc(ada);
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
		const declined = await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/decline`, { reason: 'On a call' });
		expect(declined).toMatchObject({ status: 200, body: { requestId: sent.body.requestId, status: 'declined' } });
		expectKeys(declined.body, ['requestId', 'status']);
		const banner = await until(() => Object.values(adaDoc.map('banners'))[0] as any);
		expectKeys(banner, ['id', 'chatId', 'kind', 'text', 'at']);
		expect(banner).toMatchObject({ chatId: customer.chatId, kind: 'declined', text: 'Grace declined your conference request. Reason: “On a call”' });
		expectMs(banner.at);
		// `requests` holds the sent ones still pending: a declined request leaves it.
		await until(() => (adaDoc.map('requests')[sent.body.requestId] ? undefined : true));
		expectError(await grace.call('POST', `/api/banners/${banner.id}/dismiss`), 404, 'NOT_FOUND');
		const dismissed = await ada.call('POST', `/api/banners/${banner.id}/dismiss`);
		expect(dismissed).toMatchObject({ status: 200, body: { ok: true } });
		expectError(await ada.call('POST', `/api/banners/${banner.id}/dismiss`), 404, 'NOT_FOUND');
		await until(() => (adaDoc.map('banners')[banner.id] ? undefined : true));
		adaDoc.destroy();
	});

	it('[C15] only the requester cancels (403 for anyone else); cancel answers {requestId, status: "cancelled"}; a later accept is 409 CANCELLED', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const graceDoc = await agentDoc(grace);
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { skill: 'billing' });
		expect(sent.status).toBe(201);
		// A skill request's offer names the skill.
		expect(await until(() => graceDoc.map('offers')[sent.body.requestId])).toMatchObject({ target: 'skill', skill: 'billing' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/cancel`)).status).toBe(403);
		const cancelled = await ada.call('POST', `/api/conference-requests/${sent.body.requestId}/cancel`);
		expect(cancelled).toMatchObject({ status: 200, body: { requestId: sent.body.requestId, status: 'cancelled' } });
		expectError(await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`), 409, 'CANCELLED');
		// The cancelled request's offer card leaves the offered agent's document.
		await until(() => (graceDoc.map('offers')[sent.body.requestId] ? undefined : true));
		graceDoc.destroy();
	});

	it('[C3] 409 DUPLICATE_REQUEST, ALREADY_IN_CHAT; a note with a line break is 400 `note: …`', async () => {
		const { ada, customer } = await acceptedChat(server);
		await available(server, 'grace@parley.test');
		const url = `/api/chats/${customer.chatId}/conference-requests`;
		expectError(await ada.call('POST', url, { agentId: 'grace', note: 'two\nlines' }), 400, 'BAD_INPUT', 'note');
		expect((await ada.call('POST', url, { agentId: 'grace' })).status).toBe(201);
		expectError(await ada.call('POST', url, { agentId: 'grace' }), 409, 'DUPLICATE_REQUEST');
		expectError(await ada.call('POST', url, { agentId: 'ada' }), 409, 'ALREADY_IN_CHAT');
	});

	it('[C1] an agent whose configuration has Enable Chat Conference off gets 403 CONFERENCE_DISABLED', async () => {
		// Margaret's configuration is Restricted (README "Demo logins"); she is the only one available.
		const margaret = await available(server, 'margaret@parley.test');
		await available(server, 'grace@parley.test').then((g) => g.call('PUT', '/api/agents/me/presence', { status: 'offline' }));
		const chat = await customerChat(server);
		expect((await margaret.call('POST', `/api/chats/${chat.chatId}/accept`)).status).toBe(200);
		expectError(await margaret.call('POST', `/api/chats/${chat.chatId}/conference-requests`, { agentId: 'grace' }), 403, 'CONFERENCE_DISABLED');
	});

	it('[C12] a transfer answers 201 like a request; on accept the new agent owns the chat and the log reads the three lines', async () => {
		const { ada, customer } = await acceptedChat(server);
		const grace = await available(server, 'grace@parley.test');
		const graceDoc = await agentDoc(grace);
		const sent = await ada.call('POST', `/api/chats/${customer.chatId}/transfer`, { agentId: 'grace' });
		expect(sent.status).toBe(201);
		expectKeys(sent.body, ['requestId', 'expiresAt', 'offeredTo']);
		const offer = await until(() => graceDoc.map('offers')[sent.body.requestId]);
		expect(offer).toMatchObject({ kind: 'conference', request: 'transfer', target: 'agent' });
		expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
		const chat = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		await chat.synced();
		const texts = chat.messages().filter((m) => m.kind === 'system').map((m) => m.text);
		expect(texts.slice(-3)).toEqual(['Ada transferred the chat to Grace', 'Grace joined the chat', 'Ada left the chat']);
		const ws = await grace.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expect(ws.body.owner).toEqual({ id: 'grace', name: 'Grace' });
		chat.destroy();
		graceDoc.destroy();
	});
});

describe('[C11-C13] README "API": records, workspace, supervisor list', () => {
	it('[C11] records {records: [{id, type, title, summary}]}; attach 201 / remove 200; workspace {owner, live, records, withheld}; workspaceAt moves', async () => {
		const { ada, customer } = await acceptedChat(server);
		const adaDoc = await agentDoc(ada);
		await until(() => adaDoc.map('chats')[customer.chatId]);
		const list = await ada.call('GET', '/api/records?q=case');
		expectKeys(list.body, ['records']);
		for (const r of list.body.records) expectKeys(r, ['id', 'type', 'title', 'summary']);
		const record = list.body.records.find((r: any) => r.title.startsWith('Case 1042'));
		expect(record).toBeDefined();
		expect((await ada.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: record.id })).status).toBe(201);
		const ws = await ada.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expectKeys(ws.body, ['owner', 'live', 'records', 'withheld']);
		expect(ws.body).toEqual({ owner: { id: 'ada', name: 'Ada' }, live: true, records: [record], withheld: 0 });
		const at = await until(() => adaDoc.map('chats')[customer.chatId].workspaceAt);
		expectMs(at);
		expect((await ada.call('DELETE', `/api/chats/${customer.chatId}/records/${record.id}`)).status).toBe(200);
		const grace = await available(server, 'grace@parley.test');
		expectError(await grace.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: record.id }), 403, 'NOT_PARTICIPANT');
		adaDoc.destroy();
	});

	it('[B6] GET /api/supervisor/chats: {chats: [{id, status, topic, customerName, createdAt, answeredAt, queueMs, agents, joined}]}', async () => {
		const { customer } = await acceptedChat(server);
		const sam = await login(server, 'sam@parley.test');
		const res = await sam.call('GET', '/api/supervisor/chats');
		expectKeys(res.body, ['chats']);
		const chat = res.body.chats.find((c: any) => c.id === customer.chatId);
		expectKeys(chat, ['id', 'status', 'topic', 'customerName', 'createdAt', 'answeredAt', 'queueMs', 'agents', 'joined']);
		expect(chat).toMatchObject({ status: 'active', topic: 'Billing', customerName: 'Kim', agents: [{ id: 'ada', name: 'Ada' }], joined: false });
		expectMs(chat.createdAt);
		expectMs(chat.answeredAt);
		expect(chat.queueMs).toBe(chat.answeredAt - chat.createdAt);
		// Oldest first; a waiting chat has no answeredAt and has waited `queueMs` so far.
		const waiting = await customerChat(server, 'Technical', 'Lee', 'lee@example.com');
		const both = (await sam.call('GET', '/api/supervisor/chats')).body.chats;
		expect(both.map((c: any) => c.id)).toEqual([customer.chatId, waiting.chatId]);
		expect(both[1]).toMatchObject({ status: 'waiting', answeredAt: null, agents: [], joined: false });
		expect(both[1].queueMs).toBeGreaterThanOrEqual(0);
		const ada = await login(server, 'ada@parley.test');
		expect((await ada.call('GET', '/api/supervisor/chats')).status).toBe(403);
	});
});
