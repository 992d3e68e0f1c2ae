import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { upload, PNG } from '../helpers/upload';
import { acceptedChat } from './readme';

// README "Live documents", the table "What a client-written message must be (T1, T2), exactly",
// row by row, with the stock y-websocket client: what it accepts lands for the agent, what it
// refuses closes the writer's socket with 4400 and lands nowhere. Rows other suites already
// check the same way (NFC, invisible text, control characters, far-off times, a stored id reused,
// insert before history) are in tests/security/transcript.test.ts.

// One server for the file: every case has a chat of its own.
let server: TestServer;
const open: { destroy(): void }[] = [];
beforeAll(async () => {
	server = await startTestServer();
});
const ended: (() => Promise<unknown>)[] = [];
afterEach(async () => {
	open.splice(0).forEach((c) => c.destroy());
	// Ada (capacity 3) is free again for the next case's chat.
	for (const end of ended.splice(0)) await end();
});
afterAll(async () => {
	await server.stop();
});

type Customer = Awaited<ReturnType<typeof acceptedChat>>['customer'];
let n = 0;
/** A message exactly as the README's table describes it, with `over` changed. */
const message = (customer: Customer, over: Record<string, unknown> = {}) => ({
	id: `m${++n}`,
	kind: 'text',
	author: customer.customer,
	text: 'Hello, my card was charged twice.',
	at: Date.now(),
	...over
});

/** The customer appends `items` in one update with a fresh stock client; what happened, as Ada sees it. */
async function append(customer: Customer, agentView: ReturnType<typeof connectDoc>, items: unknown[]) {
	const writer = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
	open.push(writer);
	await writer.synced();
	const ids = items.map((m) => (m as { id?: unknown }).id);
	// Counted from what Ada had before (an id may reuse one already in the document).
	const before = agentView.messages().filter((m) => ids.includes(m.id)).length;
	const seen = () => agentView.messages().filter((m) => ids.includes(m.id)).length - before;
	writer.doc.getArray('messages').push(items);
	const outcome = await eventually(() => {
		if (writer.closes.length) return { closed: writer.closes[0].code };
		if (seen() === items.length) return { closed: null };
		throw new Error('neither landed nor refused yet');
	});
	return { ...outcome, landed: seen() };
}

async function setUp() {
	const { ada, customer } = await acceptedChat(server);
	ended.push(() => customer.call('POST', `/api/chats/${customer.chatId}/end`));
	const agentView = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
	open.push(agentView);
	await agentView.synced();
	return { ada, customer, agentView };
}

describe('[T1][T2] README: what a client-written message must be', () => {
	it('[T2] accepted: the exact shape; two elements of one push are two messages; tab, LF, CR; 4,000 code units; `at` 4 minutes off', async () => {
		const { customer, agentView } = await setUp();
		expect(await append(customer, agentView, [message(customer)])).toEqual({ closed: null, landed: 1 });
		expect(await append(customer, agentView, [message(customer, { text: 'one' }), message(customer, { text: 'two' })])).toEqual({ closed: null, landed: 2 });
		expect(await append(customer, agentView, [message(customer, { text: 'a\tb\nc\r\nd' })])).toEqual({ closed: null, landed: 1 });
		expect(await append(customer, agentView, [message(customer, { text: 'x'.repeat(4000) })])).toEqual({ closed: null, landed: 1 });
		expect(await append(customer, agentView, [message(customer, { at: Date.now() - 4 * 60_000 })])).toEqual({ closed: null, landed: 1 });
		expect(await append(customer, agentView, [message(customer, { id: 'i'.repeat(64) })])).toEqual({ closed: null, landed: 1 });
		const stored = agentView.messages().find((m) => m.text === 'Hello, my card was charged twice.');
		expect(Object.keys(stored).sort()).toEqual(['at', 'author', 'id', 'kind', 'text']);
	});

	it('[T2] accepted: with its own upload to this chat in `attachments`, `text` may be ""', async () => {
		const { customer, agentView } = await setUp();
		const up = await upload(customer, customer.chatId, { name: 'screen.png', bytes: PNG });
		expect(up.status).toBe(201);
		expect(await append(customer, agentView, [message(customer, { text: '', attachments: [up.body.attachment.id] })])).toEqual({ closed: null, landed: 1 });
	});

	it('[T2] a message carries at most 10 files: 10 of its own uploads land, 11 are refused with 4400', async () => {
		const { customer, agentView } = await setUp();
		const ids: string[] = [];
		for (let i = 0; i < 11; i++) {
			const up = await upload(customer, customer.chatId, { name: `shot-${i}.png`, bytes: PNG });
			expect(up.status).toBe(201);
			ids.push(up.body.attachment.id);
		}
		expect(await append(customer, agentView, [message(customer, { text: '', attachments: ids })])).toEqual({ closed: 4400, landed: 0 });
		expect(await append(customer, agentView, [message(customer, { text: '', attachments: ids.slice(0, 10) })])).toEqual({ closed: null, landed: 1 });
	});

	const refused: [string, (c: Customer) => Record<string, unknown>][] = [
		['an extra key', (c) => message(c, { extra: 1 })],
		['a missing key', (c) => { const { at: _, ...m } = message(c); return m; }],
		['kind "system"', (c) => message(c, { kind: 'system' })],
		['an id of 65 code units', (c) => message(c, { id: 'i'.repeat(65) })],
		['an empty id', (c) => message(c, { id: '' })],
		['another author id', (c) => message(c, { author: { ...c.customer, id: 'ada' } })],
		['another author name', (c) => message(c, { author: { ...c.customer, name: 'Kim L.' } })],
		['role "agent"', (c) => message(c, { author: { ...c.customer, role: 'agent' } })],
		['an author with an extra key', (c) => message(c, { author: { ...c.customer, email: 'kim@example.com' } })],
		['text of 4,001 code units', (c) => message(c, { text: 'x'.repeat(4001) })],
		['`at` 6 minutes ago', (c) => message(c, { at: Date.now() - 6 * 60_000 })],
		['`at` 6 minutes ahead', (c) => message(c, { at: Date.now() + 6 * 60_000 })],
		['`at` in seconds', (c) => message(c, { at: Math.floor(Date.now() / 1000) })],
		['`at` not an integer', (c) => message(c, { at: Date.now() + 0.5 })],
		['empty text without attachments', (c) => message(c, { text: '' })],
		['`attachments` naming an unknown id', (c) => message(c, { attachments: ['nope'] })],
		['`attachments` empty', (c) => message(c, { attachments: [] })]
	];
	it.each(refused)('[T2] refused with 4400, nothing applied: %s', async (_, make) => {
		const { customer, agentView } = await setUp();
		expect(await append(customer, agentView, [make(customer)])).toEqual({ closed: 4400, landed: 0 });
	});

	it('[T2] refused: the same id twice in one update (reuse of a stored id: tests/security/transcript.test.ts)', async () => {
		const { customer, agentView } = await setUp();
		expect(await append(customer, agentView, [message(customer, { id: 'twice' }), message(customer, { id: 'twice', text: 'again' })])).toEqual({ closed: 4400, landed: 0 });
	});

	it('[T2] an agent signs as {id, role: "agent", name} from GET /api/me', async () => {
		const { ada, customer, agentView } = await setUp();
		const me = (await ada.call('GET', '/api/me')).body.user;
		const writer = connectDoc(server.url, `chat/${customer.chatId}`, ada.sessionToken);
		open.push(writer);
		await writer.synced();
		writer.doc.getArray('messages').push([{ id: 'from-ada', kind: 'text', author: { id: me.id, role: 'agent', name: me.name }, text: 'On it.', at: Date.now() }]);
		await eventually(() => expect(agentView.messages().some((m) => m.id === 'from-ada')).toBe(true));
		expect(writer.closes).toEqual([]);
	});
});
