import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { available, expectKeys, expectMs } from './readme';

// README "Who a customer is (T4)" and the history row of "API", as a client that keeps tokens
// instead of cookies sees them: the exact history answer for a proven chat and for a claim.
// (The rules themselves: tests/integration/identity.test.ts, context.test.ts.)

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

/** A chat started without cookies (a fresh client each time), `token` in the body when given. */
async function start(token?: string, name = 'Kim') {
	const res = await new ApiClient(server.url).call('POST', '/api/chats', { name, email: 'kim@example.com', topic: 'Billing', ...(token ? { token } : {}) });
	expect(res.status).toBe(201);
	return res.body as { chatId: string; token: string };
}

describe('[T4] README "Who a customer is"', () => {
	it('[T4][C9] a claim\'s history is empty with a reason; a chat proven by an earlier `token` lists it with the README fields and counts the claim', async () => {
		const ada = await available(server, 'ada@parley.test');
		const first = await start();
		expect((await ada.call('POST', `/api/chats/${first.chatId}/accept`)).status).toBe(200);
		const customer = (t: string) => ({ authorization: `Bearer ${t}` });
		const anon = new ApiClient(server.url);
		expect((await anon.call('POST', `/api/chats/${first.chatId}/end`, undefined, customer(first.token))).status).toBe(200);
		expect((await anon.call('POST', `/api/chats/${first.chatId}/rating`, { score: 4, comment: 'Quick' }, customer(first.token))).status).toBe(201);

		const claim = await start(undefined, 'Someone Else');
		expect((await ada.call('POST', `/api/chats/${claim.chatId}/accept`)).status).toBe(200);
		const claimed = await ada.call('GET', `/api/chats/${claim.chatId}/history`);
		expectKeys(claimed.body, ['verified', 'identity', 'reason', 'chats', 'withheld', 'unverified']);
		expect(claimed.body).toMatchObject({ verified: false, identity: 'claimed', chats: [], withheld: 0, unverified: 0 });
		expect(claimed.body.reason).toBeTypeOf('string');
		expect((await ada.call('POST', `/api/chats/${claim.chatId}/end`)).status).toBe(200);

		const second = await start(first.token);
		expect((await ada.call('POST', `/api/chats/${second.chatId}/accept`)).status).toBe(200);
		expect((await ada.call('GET', `/api/chats/${second.chatId}`)).body.chat).toMatchObject({ identity: 'token', verified: true });
		const history = await ada.call('GET', `/api/chats/${second.chatId}/history`);
		expect(history.status).toBe(200);
		expectKeys(history.body, ['verified', 'identity', 'chats', 'withheld', 'unverified'], ['reason']);
		expect(history.body).toMatchObject({ verified: true, identity: 'token', withheld: 0, unverified: 1 });
		expect(history.body.chats).toHaveLength(1);
		const earlier = history.body.chats[0];
		expectKeys(earlier, ['id', 'topic', 'status', 'createdAt', 'endedAt', 'agents', 'messages', 'rating']);
		expect(earlier).toMatchObject({ id: first.chatId, topic: 'Billing', status: 'ended', agents: ['Ada'] });
		expectMs(earlier.createdAt);
		expectMs(earlier.endedAt);
		expectKeys(earlier.rating, ['score', 'comment', 'at']);
		expect(earlier.rating).toMatchObject({ score: 4, comment: 'Quick' });
		expectMs(earlier.rating.at);
		for (const m of earlier.messages) expectKeys(m, ['id', 'kind', 'author', 'text', 'at'], ['attachments']);
		expect(earlier.messages.map((m: any) => m.text)).toContain('Ada joined the chat');
		expect(JSON.stringify(history.body)).not.toContain(claim.chatId);
	});
});
