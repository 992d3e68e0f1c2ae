import { afterEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { signIn } from '../helpers/api';
import { chatWith } from '../helpers/conference';
import { hostileCases, storeAsOlderBuild, unreadableCount } from '../helpers/hostile-messages';
import { eventually, startTestServer, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// T2/A2/A3 on the real server: a chat whose stored log holds items an older build let through
// (written as that build's server did, through the registry, so today's write policy never saw
// them). The audit API still answers every moment, and the exports render each item: the bad
// ones as "unreadable message", never a 500. Also after a restart, from the log alone.

let server: TestServer;
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const f of cleanup.splice(0).reverse()) await f();
});

/** A chat with a good message from Pat, then every hostile item, then another good message. */
async function chatWithHostileLog() {
	const { customer } = await chatWith(server);
	const chatId = customer.chatId;
	const pat = connectDoc(server.url, `chat/${chatId}`, customer.token);
	cleanup.push(pat.destroy);
	await pat.synced();
	pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'first good message', Date.now(), 'good-1')]);
	const messages = async () => (await server.docs.get(`chat/${chatId}`)).doc.getArray('messages');
	await eventually(async () => expect((await messages()).toArray().some((m: any) => m?.id === 'good-1')).toBe(true));
	const cases = hostileCases('good-1');
	await storeAsOlderBuild(server, chatId, cases.map((c) => c.value));
	await eventually(() => expect(pat.messages().length).toBeGreaterThan(cases.length));
	pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'last good message', Date.now(), 'good-2')]);
	await eventually(async () => expect((await messages()).toArray().some((m: any) => m?.id === 'good-2')).toBe(true));
	const total = (await messages()).length;
	return { chatId, cases, total };
}

/** Everything an auditor can ask about the chat answers 200 and shows every item. */
async function expectAuditAnswers(chatId: string, cases: ReturnType<typeof hostileCases>, total: number) {
	const auditor = await signIn(server, 'audit@parley.test');
	const timeline = await auditor.call('GET', `/api/audit/chats/${chatId}/timeline`);
	expect(timeline.status, timeline.raw).toBe(200);
	const steps: number = timeline.body.timeline.length;
	// The step that stored them names the unreadable ones so, and isolates the reversed quote.
	const stored = timeline.body.timeline.find((e: { summary: string }) => e.summary.includes('hostile: time bomb'));
	expect(stored.summary.split('unreadable message').length - 1).toBe(unreadableCount(cases));
	expect(stored.summary).toContain('“\u2068\u202Ehostile: reversed\u2069”');
	for (let k = 0; k <= steps; k++) {
		const state = await auditor.call('GET', `/api/audit/chats/${chatId}/state?at=${k}`);
		expect(state.status, `state at ${k}: ${state.raw.slice(0, 200)}`).toBe(200);
	}
	const latest = await auditor.call('GET', `/api/audit/chats/${chatId}/state`);
	const messages: unknown[] = latest.body.documents[`chat/${chatId}`].messages;
	expect(messages).toHaveLength(total);

	const json = await auditor.call('GET', `/api/audit/chats/${chatId}/export?format=json`);
	expect(json.status, json.raw.slice(0, 200)).toBe(200);
	expect(json.body.documents[`chat/${chatId}`].messages).toHaveLength(total);

	const res = await fetch(`${server.url}/api/audit/chats/${chatId}/export?format=html`, { headers: { cookie: `parley_session=${auditor.sessionToken}` } });
	const html = await res.text();
	expect(res.status, html.slice(0, 300)).toBe(200);
	const conversation = html.slice(html.indexOf('<h2>Conversation</h2>'), html.indexOf('<h2>Agent whispers'));
	expect(conversation).toContain('first good message');
	expect(conversation).toContain('last good message');
	for (const c of cases) if (c.shows !== null) expect(conversation, c.name).toContain(c.shows);
	expect(conversation.split('unreadable message').length - 1).toBe(unreadableCount(cases));
	expect(conversation).toContain('<bdi>\u202EEve</bdi>');
}

describe('a stored log holding what older builds let through (T2, A2, A3)', () => {
	it('[T2][A3] /state at every step, /timeline and both exports answer 200; the HTML shows "unreadable message" in place', async () => {
		server = await startTestServer();
		cleanup.push(() => server.stop());
		const { chatId, cases, total } = await chatWithHostileLog();
		await expectAuditAnswers(chatId, cases, total);
	});

	it('[T2][A3] the same after a restart, rebuilt from the log alone', async () => {
		server = await startTestServer();
		const first = server;
		const { chatId, cases, total } = await chatWithHostileLog();
		for (const f of cleanup.splice(0).reverse()) await f();
		await first.stop(false);
		server = await startTestServer({ dataDir: first.dataDir, databaseUrl: first.databaseUrl });
		cleanup.push(() => server.stop());
		await expectAuditAnswers(chatId, cases, total);
	});
});
