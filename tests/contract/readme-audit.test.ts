import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { acceptedChat, expectError, expectKeys, expectMs, login } from './readme';

// README "API" rows of the audit (A1–A3): the exact answers a client reads. Replay arithmetic,
// checksums and access are in tests/integration/audit-*.test.ts.

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

describe('[A1][A2][A3] README "API": the audit', () => {
	it('[A1] search, timeline, state and export answer the README fields, times in ms; `at` is checked; agents get 403', async () => {
		const { customer } = await acceptedChat(server);
		const auditor = await login(server, 'audit@parley.test');

		const found = await auditor.call('GET', '/api/audit/chats?email=kim&topic=billing');
		expectKeys(found.body, ['chats', 'truncated']);
		expect(found.body.truncated).toBe(false);
		expect(found.body.chats).toHaveLength(1);
		const entry = found.body.chats[0];
		expectKeys(entry, ['id', 'topic', 'routing', 'customerName', 'customerEmail', 'identity', 'status', 'createdAt', 'endedAt', 'agents']);
		expect(entry).toMatchObject({ id: customer.chatId, customerName: 'Kim', customerEmail: 'kim@example.com', identity: 'new', agents: [{ id: 'ada', name: 'Ada' }] });
		expectMs(entry.createdAt);

		const timeline = await auditor.call('GET', `/api/audit/chats/${customer.chatId}/timeline`);
		expectKeys(timeline.body, ['chat', 'timeline']);
		expect(timeline.body.chat).toMatchObject({ customerName: 'Kim', identity: 'new' });
		timeline.body.timeline.forEach((step: any, i: number) => {
			expectKeys(step, ['seq', 'at', 'actor', 'doc', 'docSeq', 'auditId', 'via', 'kind', 'summary'], ['refs']);
			expectKeys(step.actor, ['id', 'name', 'role']);
			expect(step.seq).toBe(i + 1);
			expectMs(step.at);
			// A decision has no document; an update is a document's, written by a client or the server.
			if (step.doc === null) expect({ docSeq: step.docSeq, via: step.via, auditId: typeof step.auditId }).toEqual({ docSeq: null, via: null, auditId: 'number' });
			else expect(['client', 'server']).toContain(step.via);
		});

		const state = await auditor.call('GET', `/api/audit/chats/${customer.chatId}/state?at=1`);
		expectKeys(state.body, ['chat', 'moment', 'documents', 'events', 'requests', 'workspaces']);
		expectKeys(state.body.moment, ['step', 'of', 'time']);
		expect(state.body.moment).toMatchObject({ step: 1, of: timeline.body.timeline.length });
		expectKeys(state.body.documents, [`chat/${customer.chatId}`, `chat/${customer.chatId}/agents`]);
		expectKeys(state.body.documents[`chat/${customer.chatId}`], ['seq', 'messages', 'participants', 'meta']);
		expectKeys(state.body.documents[`chat/${customer.chatId}/agents`], ['seq', 'whispers', 'draft']);
		expectError(await auditor.call('GET', `/api/audit/chats/${customer.chatId}/state?at=soon`), 400, 'BAD_INPUT', 'at');

		const exported = await auditor.call('GET', `/api/audit/chats/${customer.chatId}/export?format=json`);
		expect(exported.body).toMatchObject({ format: 'parley.audit-transcript/1', attachments: [] });
		expectKeys(exported.body.log, ['algorithm', 'checksum', 'framing', 'ranges']);
		for (const range of exported.body.log.ranges) expectKeys(range, ['doc', 'fromSeq', 'toSeq', 'updates', 'bytes']);

		const ada = await login(server, 'ada@parley.test');
		expect((await ada.call('GET', '/api/audit/chats')).status).toBe(403);
	});
});
