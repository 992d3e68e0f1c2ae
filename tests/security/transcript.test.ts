import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { DEFAULT_LIMITS } from '../../server/sync/limits';
import * as P from '../../server/sync/protocol';
import { signIn, startCustomerChat } from '../helpers/api';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { forgeUpdate, messageIds } from './forge';
import { RawSocket, updateFrame } from './raw-socket';

// Issue 11 on the real server: a client only appends (T1), the server vouches for every field
// (T2), and the message budget counts messages, not frames (T3). Every refusal leaves the
// document exactly as it was; honest peers go on.
let server: TestServer;
let now = Date.now();
const cleanup: (() => void)[] = [];
afterEach(async () => {
	cleanup.splice(0).forEach((f) => f());
	await server?.stop();
});

async function activeChat() {
	now = Date.now();
	server = await startTestServer({ now: () => now });
	const ada = await signIn(server, 'ada@parley.test');
	await ada.call('PUT', '/api/agents/me/presence', { status: 'available' });
	const customer = await startCustomerChat(server, 'Billing');
	expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
	const name = `chat/${customer.chatId}`;
	const agent = connectDoc(server.url, name, ada.sessionToken);
	const pat = connectDoc(server.url, name, customer.token);
	cleanup.push(agent.destroy, pat.destroy);
	await Promise.all([agent.synced(), pat.synced()]);
	const adaAuthor = { id: ada.user.id, role: 'agent' as const, name: ada.user.name };
	return { ada, adaAuthor, customer, name, agent, pat };
}
type Chat = Awaited<ReturnType<typeof activeChat>>;

const serverDoc = async (name: string) => (await server.docs.get(name)).doc;
const snapshot = async (name: string) => JSON.stringify((await serverDoc(name)).toJSON());
const serverIds = async (name: string) => messageIds(await serverDoc(name));
const say = (who: Chat['agent'], author: { id: string; role: 'agent' | 'customer'; name: string }, text: string, id = `${text}-${Math.random()}`) =>
	who.doc.getArray('messages').push([newTextMessage(author, text, now, id)]);
const raw = (name: string, token: string) => {
	const s = new RawSocket(server.url, name, { token });
	cleanup.push(() => s.close());
	return s;
};
/** Messages appended to `state` in one update by a fresh clientID. */
const appendMany = (state: Uint8Array, author: Chat['customer']['customer'], texts: string[]) =>
	forgeUpdate(state, (d) => d.getArray('messages').push(texts.map((t, i) => newTextMessage(author, t, now, `${t}-${i}-${Math.random()}`))))!;

/** Pat asks, Ada answers twice; returns the three ids once the server has them all. */
async function conversation(chat: Chat) {
	say(chat.pat, chat.customer.customer, 'my card was charged twice', 'q1');
	await eventually(() => expect(messageIds(chat.agent.doc)).toContain('q1'));
	say(chat.agent, chat.adaAuthor, 'let me check', 'r1');
	say(chat.agent, chat.adaAuthor, 'refunded the second charge', 'r2');
	await eventually(async () => expect((await serverIds(chat.name)).slice(-3)).toEqual(['q1', 'r1', 'r2']));
	await eventually(async () => expect(messageIds(chat.pat.doc)).toEqual(await serverIds(chat.name)));
}

describe('[T1] append means append', () => {
	it('[T1] insert(i) before existing messages is refused 4400 and changes nothing (middle and top)', async () => {
		const chat = await activeChat();
		await conversation(chat);
		const before = await snapshot(chat.name);
		for (const index of [1, 0]) {
			const attacker = connectDoc(server.url, chat.name, chat.customer.token);
			cleanup.push(attacker.destroy);
			await attacker.synced();
			attacker.doc.getArray('messages').insert(index, [newTextMessage(chat.customer.customer, 'I was promised a refund', now - 60_000, `sneak${index}`)]);
			await attacker.closedWith(P.CLOSE.UPDATE_REFUSED);
			expect(await snapshot(chat.name)).toBe(before);
		}
		expect(chat.agent.closes).toEqual([]);
	});

	it('[T1] a hand-made append placed after an old message is refused once what follows it is history', async () => {
		const chat = await activeChat();
		const early = Y.encodeStateAsUpdate(await serverDoc(chat.name)); // before the conversation
		await conversation(chat);
		const before = await snapshot(chat.name);
		// A socket that synced: what it was sent more than the grace ago is history to it.
		const synced = raw(chat.name, chat.customer.token);
		expect(await synced.barrier()).toBeNull();
		now += DEFAULT_LIMITS.sentGraceMs + 1;
		synced.send(updateFrame(appendMany(early, chat.customer.customer, ['back-dated'])));
		expect((await synced.ended).code).toBe(P.CLOSE.UPDATE_REFUSED);
		// A socket that never asked for the state: only what is older than the window is history.
		now += 60_000;
		const blind = raw(chat.name, chat.customer.token);
		await blind.opened;
		blind.send(updateFrame(appendMany(early, chat.customer.customer, ['back-dated'])));
		expect((await blind.ended).code).toBe(P.CLOSE.UPDATE_REFUSED);
		expect(await snapshot(chat.name)).toBe(before);
	});

	it('[T1] concurrent appends by two clients both land, in the same order everywhere', async () => {
		const chat = await activeChat();
		await conversation(chat);
		// Both write before either receives the other's message.
		say(chat.pat, chat.customer.customer, 'are you there?', 'c1');
		say(chat.agent, chat.adaAuthor, 'yes, one moment', 'a1');
		await eventually(async () => {
			for (const doc of [chat.pat.doc, chat.agent.doc, await serverDoc(chat.name)])
				expect(messageIds(doc).slice(-2).sort()).toEqual(['a1', 'c1']);
		});
		expect(messageIds(chat.pat.doc)).toEqual(await serverIds(chat.name));
		expect(messageIds(chat.agent.doc)).toEqual(await serverIds(chat.name));
		expect([...chat.pat.closes, ...chat.agent.closes]).toEqual([]);
	});

	it('[T1] a client that typed while offline gets its messages in when it reconnects, after what others wrote', async () => {
		const chat = await activeChat();
		await conversation(chat);
		chat.pat.provider.disconnect();
		say(chat.agent, chat.adaAuthor, 'anything else?', 'a-offline');
		say(chat.pat, chat.customer.customer, 'typed in a tunnel', 'p-offline');
		await eventually(async () => expect(await serverIds(chat.name)).toContain('a-offline'));
		chat.pat.provider.connect();
		await eventually(async () => expect(await serverIds(chat.name)).toContain('p-offline'));
		await eventually(async () => expect(messageIds(chat.pat.doc)).toEqual(await serverIds(chat.name)));
		expect(chat.pat.closes.filter((c) => c.code >= 4000)).toEqual([]);
	});
});

describe('[T2] fields the server vouches for', () => {
	const hostile: [string, (chat: Chat) => unknown][] = [
		['a time past the Date range (8.64e15 + 1)', (c) => ({ ...newTextMessage(c.customer.customer, 'boom', now, 'x1'), at: 8.64e15 + 1 })],
		['a time of 1e300', (c) => ({ ...newTextMessage(c.customer.customer, 'boom', now, 'x2'), at: 1e300 })],
		['a back-dated time (an hour ago)', (c) => newTextMessage(c.customer.customer, 'I said so earlier', now - 3_600_000, 'x3')],
		['a time in the future (an hour ahead)', (c) => newTextMessage(c.customer.customer, 'from tomorrow', now + 3_600_000, 'x4')],
		['zero-width text only', (c) => ({ ...newTextMessage(c.customer.customer, 'x', now, 'x5'), text: '\u200b\u200c\u200d' })],
		['bidi controls only', (c) => ({ ...newTextMessage(c.customer.customer, 'x', now, 'x6'), text: '\u202e\u2066' })],
		['text not in NFC', (c) => ({ ...newTextMessage(c.customer.customer, 'x', now, 'x7'), text: 'Cafe\u0301' })],
		['a NUL in the text', (c) => ({ ...newTextMessage(c.customer.customer, 'x', now, 'x8'), text: 'a\u0000b' })]
	];
	for (const [what, make] of hostile)
		it(`[T2] a message with ${what} is refused 4400 and changes nothing`, async () => {
			const chat = await activeChat();
			const before = await snapshot(chat.name);
			const attacker = connectDoc(server.url, chat.name, chat.customer.token);
			cleanup.push(attacker.destroy);
			await attacker.synced();
			attacker.doc.getArray('messages').push([make(chat)]);
			await attacker.closedWith(P.CLOSE.UPDATE_REFUSED);
			expect(await snapshot(chat.name)).toBe(before);
		});

	it("[T2] a message reusing an existing message's id is refused 4400 and changes nothing", async () => {
		const chat = await activeChat();
		await conversation(chat);
		const before = await snapshot(chat.name);
		// Ada's "let me check" (a client's write), and the server's own first notice.
		for (const taken of ['r1', (await serverIds(chat.name))[0]]) {
			const attacker = connectDoc(server.url, chat.name, chat.customer.token);
			cleanup.push(attacker.destroy);
			await attacker.synced();
			say(attacker, chat.customer.customer, 'same id', taken);
			await attacker.closedWith(P.CLOSE.UPDATE_REFUSED);
			expect(await snapshot(chat.name)).toBe(before);
		}
		const ids = await serverIds(chat.name);
		expect(new Set(ids).size).toBe(ids.length);
	});
});

describe('[T3] the message budget counts messages, not frames', () => {
	it(`[T3] more than ${DEFAULT_LIMITS.maxMessagesPerUpdate} messages in one update are refused 4400`, async () => {
		const chat = await activeChat();
		const before = await snapshot(chat.name);
		const s = raw(chat.name, chat.customer.token);
		await s.opened;
		const texts = Array.from({ length: DEFAULT_LIMITS.maxMessagesPerUpdate + 1 }, (_, i) => `flood ${i}`);
		s.send(updateFrame(appendMany(Y.encodeStateAsUpdate(await serverDoc(chat.name)), chat.customer.customer, texts)));
		expect((await s.ended).code).toBe(P.CLOSE.UPDATE_REFUSED);
		expect(await snapshot(chat.name)).toBe(before);
	});

	it(`[T3] a connection past ${DEFAULT_LIMITS.messageBurst} messages at once is closed 4429 and nothing of the next update is applied`, async () => {
		const chat = await activeChat();
		const s = raw(chat.name, chat.customer.token);
		await s.opened;
		const state = async () => Y.encodeStateAsUpdate(await serverDoc(chat.name));
		const burst = Array.from({ length: DEFAULT_LIMITS.messageBurst }, (_, i) => `burst ${i}`);
		s.send(updateFrame(appendMany(await state(), chat.customer.customer, burst)));
		expect(await s.barrier()).toBeNull();
		const count = (await serverIds(chat.name)).length;
		// As many again: the budget refills at its rate, so this cannot pass for another 10 s.
		s.send(updateFrame(appendMany(await state(), chat.customer.customer, burst.map((t) => `${t} again`))));
		const closed = await s.ended;
		expect(closed).toMatchObject({ code: P.CLOSE.TOO_MANY, reason: expect.stringMatching(/too many messages/) });
		expect(await serverIds(chat.name)).toHaveLength(count);
		expect(chat.agent.closes).toEqual([]);
	});

	it('[T3] sockets of one chat token share one budget: more sockets do not buy more messages', async () => {
		const chat = await activeChat();
		const state = async () => Y.encodeStateAsUpdate(await serverDoc(chat.name));
		// Each socket stays within its own budget; two of them pass the token's by far more than the
		// token's budget refills in the seconds the test takes.
		const each = DEFAULT_LIMITS.messageBurst;
		expect(2 * each - DEFAULT_LIMITS.holderMessageBurst).toBeGreaterThanOrEqual(4 * DEFAULT_LIMITS.holderMessagesPerSecond);
		const first = raw(chat.name, chat.customer.token);
		await first.opened;
		first.send(updateFrame(appendMany(await state(), chat.customer.customer, Array.from({ length: each }, (_, i) => `a${i}`))));
		expect(await first.barrier()).toBeNull();
		const count = (await serverIds(chat.name)).length;
		const second = raw(chat.name, chat.customer.token);
		await second.opened;
		second.send(updateFrame(appendMany(await state(), chat.customer.customer, Array.from({ length: each }, (_, i) => `b${i}`))));
		expect((await second.ended).code).toBe(P.CLOSE.TOO_MANY);
		expect(await serverIds(chat.name)).toHaveLength(count);
		// The agent's budget is its own.
		say(chat.agent, chat.adaAuthor, 'still fine', 'agent-ok');
		await eventually(async () => expect(await serverIds(chat.name)).toContain('agent-ok'));
	});
});
