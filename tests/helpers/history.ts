import { newTextMessage } from '../../src/lib/core/message-policy';
import { docNames } from '../../src/lib/core/doc-name';
import { ApiClient, signIn, startChatFrom } from './api';
import { eventually, type TestServer } from './server';
import { connectDoc } from './yclient';

// T4: a returning customer whose identity is proven the way a real browser proves it: every
// chat is started from the same cookie jar, so from the second chat on the browser sends the
// cookie of the first, proven chat.

/** What each earlier chat of `returningCustomer` says; the test looks for these lines. */
export const EARLIER_LINES = {
	Technical: 'My router drops the connection every evening.',
	Billing: 'I was charged twice for March.'
} as const;

/** The chats this customer had, in the order they happened: Technical with Linus, then Billing with Grace. */
const EARLIER = [
	{ topic: 'Technical', agent: 'linus@parley.test' },
	{ topic: 'Billing', agent: 'grace@parley.test' }
] as const;

/**
 * A customer (`Sam Lee`, `sam@example.com` unless given) with an ended Technical chat with
 * Linus and an ended Billing chat with Grace, each with one line typed by the customer. Returns
 * the customer's browser; its next chat is proven (`token`). Every agent is offline afterwards.
 */
export async function returningCustomer(server: TestServer, name = 'Sam Lee', email = 'sam@example.com') {
	const browser = new ApiClient(server.url);
	const chatIds: Record<string, string> = {};
	for (const { topic, agent: agentEmail } of EARLIER) {
		const agent = await signIn(server, agentEmail);
		await agent.call('PUT', '/api/agents/me/presence', { status: 'available' });
		const chat = await startChatFrom(browser, topic, name, email);
		const accepted = await agent.call('POST', `/api/chats/${chat.chatId}/accept`);
		if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.raw}`);
		await say(server, chat.chatId, chat.token, chat.customer, EARLIER_LINES[topic]);
		const ended = await agent.call('POST', `/api/chats/${chat.chatId}/end`);
		if (ended.status !== 200) throw new Error(`end: ${ended.status} ${ended.raw}`);
		await agent.call('PUT', '/api/agents/me/presence', { status: 'offline' });
		chatIds[topic] = chat.chatId;
	}
	return Object.assign(browser, { earlier: chatIds as Record<'Technical' | 'Billing', string> });
}

/** The customer types one line through a real y-websocket client; resolves once the server has it. */
async function say(server: TestServer, chatId: string, token: string, author: { id: string; role: 'customer'; name: string }, text: string) {
	const client = connectDoc(server.url, docNames.chat(chatId), token);
	try {
		await client.synced();
		client.doc.getArray('messages').push([newTextMessage(author, text, Date.now(), `m-${chatId}`)]);
		const live = (await server.docs.get(docNames.chat(chatId))).doc;
		await eventually(() => {
			if (!live.getArray<{ text: string }>('messages').toArray().some((m) => m.text === text)) throw new Error('not stored yet');
		});
	} finally {
		client.destroy();
	}
}
