import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docNames, parseDocName } from '../../src/lib/core/doc-name';
import { createRoots } from '../../src/lib/core/doc-roots';
import * as ROOT from '../../src/lib/core/doc-roots';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { startChildServer } from '../helpers/child-server';
import { connectDoc } from '../helpers/yclient';
import { TEST_STORE } from '../helpers/server';
import { createTestDatabase, type TestDatabase } from '../helpers/postgres';

// The outbox (issue 12): a decision and its document changes commit in one transaction, and are
// broadcast only after it. The server (a child process) kills itself with SIGKILL right after a
// decision's commit and before its broadcasts; restarted on the same database, every change the
// decision made must be in the documents. On SQLite, and on PostgreSQL in the `postgres` project.

let dataDir: string;
let faultFile: string;
let database: TestDatabase | null = null;
let server: Awaited<ReturnType<typeof startChildServer>>;
const childEnv = () => ({ PARLEY_TEST_FAULT_FILE: faultFile, ...(database ? { CHILD_DATABASE_URL: database.url } : {}) });
beforeAll(async () => {
	dataDir = mkdtempSync(join(tmpdir(), 'parley-outbox-'));
	faultFile = join(dataDir, 'kill-after-commit');
	if (TEST_STORE === 'postgres') database = await createTestDatabase();
	server = await startChildServer(dataDir, childEnv());
});
afterAll(async () => {
	await server?.kill();
	rmSync(dataDir, { recursive: true, force: true });
	await database?.drop();
});

/** Sends the request with the fault armed: the server commits, dies before broadcasting, and is restarted. */
async function crashOn(send: () => Promise<unknown>) {
	writeFileSync(faultFile, '');
	await send().catch(() => undefined); // the connection drops with the process
	expect(await server.exited).toBe('SIGKILL');
	rmSync(faultFile);
	server = await startChildServer(dataDir, childEnv());
}

/** A document's content as a client syncing it after the restart sees it. */
async function docJson(name: string, token: string) {
	const c = connectDoc(server.url, name, token);
	try {
		await c.synced();
		createRoots(c.doc, parseDocName(name)!.kind); // typed roots, so toJSON reads them
		return c.doc.toJSON() as Record<string, any>;
	} finally {
		c.destroy();
	}
}
const texts = (chat: Record<string, any>) => (chat[ROOT.MESSAGES] as { text: string }[]).map((m) => m.text);

async function agents() {
	const s = server.asTestServer;
	const ada = await signIn(s, 'ada@parley.test');
	const grace = await signIn(s, 'grace@parley.test');
	for (const a of [ada, grace]) await a.call('PUT', '/api/agents/me/presence', { status: 'available' });
	return { ada, grace };
}

async function activeChat() {
	const { ada, grace } = await agents();
	await grace.call('PUT', '/api/agents/me/presence', { status: 'busy' }); // omni: the chat goes to Ada
	const customer = await startCustomerChat(server.asTestServer, 'Billing', 'Robin', `robin-${Math.random()}@example.com`);
	expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
	await grace.call('PUT', '/api/agents/me/presence', { status: 'available' });
	return { ada, grace, customer };
}
async function conferenced() {
	const chat = await activeChat();
	const req = await chat.ada.call('POST', `/api/chats/${chat.customer.chatId}/conference-requests`, { agentId: 'grace' });
	expect(req.status).toBe(201);
	expect((await chat.grace.call('POST', `/api/conference-requests/${req.body.requestId}/accept`)).status).toBe(200);
	return chat;
}

describe('[outbox] a decision and its document changes survive a crash between commit and broadcast', () => {
	it('[outbox][L2] accepting a chat: the agent, the notice and the desk entry are there after the restart', async () => {
		const { ada, grace } = await agents();
		await grace.call('PUT', '/api/agents/me/presence', { status: 'busy' });
		const customer = await startCustomerChat(server.asTestServer, 'Billing', 'Sam', 'sam-outbox@example.com');
		await crashOn(() => ada.call('POST', `/api/chats/${customer.chatId}/accept`));
		const chat = await docJson(docNames.chat(customer.chatId), customer.token);
		expect(chat[ROOT.PARTICIPANTS].ada).toMatchObject({ role: 'agent', name: 'Ada' });
		expect(chat[ROOT.META].status).toBe('active');
		expect(texts(chat)).toContain('Ada joined the chat');
		const desk = await docJson(docNames.agent('ada'), ada.sessionToken!);
		expect(Object.keys(desk[ROOT.CHATS])).toContain(customer.chatId);
		expect(Object.values(desk[ROOT.OFFERS]).filter((o: any) => o.chatId === customer.chatId)).toEqual([]);
	}, 60_000);

	it('[outbox][C7] leaving: the leaver is marked left, the notice is in the log, its desk no longer lists the chat', async () => {
		const { grace, customer } = await conferenced();
		await crashOn(() => grace.call('POST', `/api/chats/${customer.chatId}/leave`));
		const chat = await docJson(docNames.chat(customer.chatId), customer.token);
		expect(chat[ROOT.PARTICIPANTS].grace.leftAt).toEqual(expect.any(Number));
		expect(texts(chat)).toContain('Grace left the chat');
		const desk = await docJson(docNames.agent('grace'), grace.sessionToken!);
		expect(Object.keys(desk[ROOT.CHATS])).not.toContain(customer.chatId);
	}, 60_000);

	it('[outbox][C8] ending: the chat is ended in its document', async () => {
		const { ada, customer } = await activeChat();
		await crashOn(() => ada.call('POST', `/api/chats/${customer.chatId}/end`));
		const chat = await docJson(docNames.chat(customer.chatId), customer.token);
		expect(chat[ROOT.META].status).toBe('ended');
		expect(texts(chat).some((t) => /ended/i.test(t))).toBe(true);
	}, 60_000);

	it('[outbox][L4] a transfer accepted: the new agent joined, the requester left, both notices are there', async () => {
		const { ada, grace, customer } = await activeChat();
		const req = await ada.call('POST', `/api/chats/${customer.chatId}/transfer`, { agentId: 'grace' });
		expect(req.status).toBe(201);
		await crashOn(() => grace.call('POST', `/api/conference-requests/${req.body.requestId}/accept`));
		const chat = await docJson(docNames.chat(customer.chatId), customer.token);
		expect(chat[ROOT.PARTICIPANTS].grace).toMatchObject({ role: 'agent' });
		expect(chat[ROOT.PARTICIPANTS].ada.leftAt).toEqual(expect.any(Number));
		expect(texts(chat)).toContain('Ada transferred the chat to Grace');
		const desk = await docJson(docNames.agent('grace'), grace.sessionToken!);
		expect(Object.keys(desk[ROOT.CHATS])).toContain(customer.chatId);
	}, 60_000);

	it('[outbox][C12] attaching a record: the agents are told their workspace changed', async () => {
		const { ada, customer } = await activeChat();
		const before = (await docJson(docNames.agent('ada'), ada.sessionToken!))[ROOT.CHATS][customer.chatId];
		await crashOn(() => ada.call('POST', `/api/chats/${customer.chatId}/records`, { recordId: 'rec-contact-pat' }));
		const after = (await docJson(docNames.agent('ada'), ada.sessionToken!))[ROOT.CHATS][customer.chatId];
		expect(after.workspaceAt).toEqual(expect.any(Number));
		expect(after.workspaceAt).not.toBe(before.workspaceAt);
		const sameAda = new ApiClient(server.url); // the same session, at the restarted server's address
		sameAda.cookies = ada.cookies;
		const again = await sameAda.call('GET', `/api/chats/${customer.chatId}/workspace`);
		expect(again.body.records.map((r: { id: string }) => r.id)).toContain('rec-contact-pat');
	}, 60_000);
});
