import { createHmac } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_LIMITS, type ChatLimits } from '../../server/services/chats/chat-limits';
import { ApiClient, signIn } from '../helpers/api';
import { callFrom } from '../helpers/from-address';
import { eventually, startTestServer, TEST_STORE, type TestServer } from '../helpers/server';

// T3 "limits count what costs", over HTTP: chat creation per address, per email and for everyone,
// waiting chats per address, and a queue that does not let one address push everyone else back.

let server: TestServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

let clock = Date.now();
const MINUTE = 60_000;
const NO_LIMIT = 1_000_000;
const UNLIMITED: ChatLimits = { perAddress: NO_LIMIT, perEmail: NO_LIMIT, windowMs: 10 * MINUTE, globalPerMinute: NO_LIMIT, waitingPerAddress: NO_LIMIT };

async function start(chatLimits: ChatLimits, trustProxy = 0) {
	clock = Date.now();
	server = await startTestServer({ chatLimits, trustProxy, now: () => clock });
	return server;
}

const countChats = async () => (await server!.row<{ n: number }>(sql`SELECT count(*) AS n FROM chats`)).n;

/** Starts a chat; `from` is sent as X-Forwarded-For (what a trusted proxy would write). */
async function startChat(email: string, from?: string, topic = 'Billing') {
	const client = new ApiClient(server!.url);
	const res = await client.call('POST', '/api/chats', { name: email.split('@')[0], email, topic }, from ? { 'x-forwarded-for': from } : {});
	return Object.assign(res, { client });
}

/** A refusal past a chat limit: 429, the code, a message, Retry-After, and no new chat. */
async function expectRefused(email: string, from: string | undefined, message: RegExp) {
	const before = await countChats();
	const res = await startChat(email, from);
	expect(res.status).toBe(429);
	expect(res.body.error.code).toBe('TOO_MANY_CHATS');
	expect(res.body.error.message).toMatch(message);
	const retry = Number(res.headers.get('retry-after'));
	expect(retry).toBeGreaterThan(0);
	expect(await countChats()).toBe(before);
	expect(res.headers.getSetCookie()).toEqual([]);
	return retry;
}

describe('[T3] chat creation is limited per address, per email and for everyone', () => {
	it(`[T3] one address: a family starts a few chats; past ${DEFAULT_CHAT_LIMITS.waitingPerAddress} waiting or ${DEFAULT_CHAT_LIMITS.perAddress} in ${DEFAULT_CHAT_LIMITS.windowMs / MINUTE} minutes, 429 TOO_MANY_CHATS with Retry-After and nothing created`, async () => {
		await start(DEFAULT_CHAT_LIMITS);
		const started: Awaited<ReturnType<typeof startChat>>[] = [];
		for (const who of ['mum', 'dad', 'kid']) {
			const res = await startChat(`${who}@family.example`);
			expect(res.status).toBe(201);
			started.push(res);
		}
		// Three chats wait for an agent: the next one waits for one of them instead.
		expect(await expectRefused('gran@family.example', undefined, /3 chats waiting for an agent/)).toBe(60);

		// Ending one frees its place in the queue, up to the window's limit.
		for (const res of started) expect((await res.client.call('POST', `/api/chats/${res.body.chatId}/end`)).status).toBe(200);
		for (const who of ['gran', 'aunt']) expect((await startChat(`${who}@family.example`)).status).toBe(201);
		clock += 1000;
		const retry = await expectRefused('uncle@family.example', undefined, /too many chats started from your network in the last 10 minutes; please try again in 10 minutes/);
		expect(retry).toBe(10 * 60 - 1);

		// The window slides: once the first chat is ten minutes old, one more may start.
		clock += retry * 1000;
		expect((await startChat('uncle@family.example')).status).toBe(201);
	});

	it('[T3] X-Forwarded-For is ignored without TRUST_PROXY: a client cannot dodge the per-address limit by writing it', async () => {
		await start({ ...UNLIMITED, perAddress: 2 });
		expect((await startChat('a@example.com', '198.51.100.1')).status).toBe(201);
		expect((await startChat('b@example.com', '198.51.100.2')).status).toBe(201);
		await expectRefused('c@example.com', '198.51.100.3', /from your network/);
		// A client at another address is another source.
		const other = await callFrom('127.0.0.3', server!.url, 'POST', '/api/chats', { name: 'Dee', email: 'd@example.com', topic: 'Billing' });
		expect(other.status).toBe(201);
	});

	it('[T3] behind TRUST_PROXY=1 the proxy-written (right-most) entry counts; a spoofed left-most entry changes nothing', async () => {
		await start({ ...UNLIMITED, perAddress: 2 }, 1);
		expect((await startChat('a@example.com', '10.0.0.1, 203.0.113.7')).status).toBe(201);
		expect((await startChat('b@example.com', '10.0.0.2, 203.0.113.7')).status).toBe(201);
		await expectRefused('c@example.com', '10.0.0.3, 203.0.113.7', /from your network/);
		// Someone else behind the same proxy is another source.
		expect((await startChat('d@example.com', '203.0.113.8')).status).toBe(201);
		// One IPv6 network (/64) is one source, whatever address in it.
		expect((await startChat('e@example.com', '2001:db8:1:2::1')).status).toBe(201);
		expect((await startChat('f@example.com', '2001:db8:1:2:aaaa::9')).status).toBe(201);
		await expectRefused('g@example.com', '2001:db8:1:2:ffff:ffff:ffff:ffff', /from your network/);
	});

	it('[T3] one email from many addresses: past the per-email limit, 429; other emails still start', async () => {
		await start({ ...UNLIMITED, perEmail: 3 }, 1);
		for (let i = 1; i <= 3; i++) expect((await startChat('pat@example.com', `198.51.100.${i}`)).status).toBe(201);
		await expectRefused('PAT@example.com', '198.51.100.4', /too many chats started with this email/);
		expect((await startChat('sam@example.com', '198.51.100.4')).status).toBe(201);
	});

	it('[T3] everyone together: past the global ceiling a minute, 429 for the next chat from anywhere', async () => {
		await start({ ...UNLIMITED, globalPerMinute: 4 }, 1);
		for (let i = 1; i <= 4; i++) expect((await startChat(`c${i}@example.com`, `198.51.100.${i}`)).status).toBe(201);
		const retry = await expectRefused('c5@example.com', '198.51.100.5', /more chats than we can take right now/);
		expect(retry).toBeLessThanOrEqual(60);
		clock += MINUTE;
		expect((await startChat('c5@example.com', '198.51.100.5')).status).toBe(201);
	});

	it('[T3] the chat keeps a keyed hash of its address (HMAC-SHA-256 with the secret beside the database), never the address', async () => {
		await start(UNLIMITED, 1);
		const a1 = await startChat('a@example.com', '198.51.100.7');
		const a2 = await startChat('b@example.com', '198.51.100.7');
		const b = await startChat('c@example.com', '203.0.113.9');
		const keyOf = async (id: string) => (await server!.row<{ k: string | null }>(sql`SELECT source_key AS k FROM chats WHERE id = ${id}`)).k;
		// Beside the SQLite file; on PostgreSQL, in DATA_DIR (server/storage/open.ts).
		const secretFile = `${TEST_STORE === 'sqlite' ? server!.sqlite!.name : join(server!.dataDir, 'parley-postgres')}.secret`;
		expect(statSync(secretFile).mode & 0o077).toBe(0);
		const secret = readFileSync(secretFile, 'utf8').trim();
		const key = await keyOf(a1.body.chatId);
		expect(key).toBe(createHmac('sha256', secret).update('198.51.100.7').digest('hex'));
		expect(await keyOf(a2.body.chatId)).toBe(key);
		expect(await keyOf(b.body.chatId)).not.toBe(key);
		const rows = JSON.stringify(await server!.rows(sql`SELECT * FROM chats`));
		expect(rows).not.toContain('198.51.100.7');
		expect(rows).not.toContain('127.0.0.1');
	});
});

describe('[T3] a fair queue', () => {
	it("[T3] one address's flood does not push the next customer back: each address's first chat is offered before anyone's second", async () => {
		await start(UNLIMITED, 1);
		const flood: string[] = [];
		for (let i = 1; i <= 4; i++) {
			clock += 1000;
			const res = await startChat(`flood${i}@example.com`, '198.51.100.66');
			expect(res.status).toBe(201);
			flood.push(res.body.chatId);
		}
		clock += 1000;
		const customer = await startChat('real@example.com', '203.0.113.20');
		expect(customer.status).toBe(201);

		// Grace (Billing, room for two chats) becomes available: the first two in the queue are offered.
		const grace = await signIn(server!, 'grace@parley.test');
		expect((await grace.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
		const offered = async () =>
			(await server!.rows<{ id: string }>(sql`SELECT chat_id AS id FROM chat_offers WHERE agent_id = 'grace' AND status = 'pending' ORDER BY chat_id`)).map((r) => r.id);
		await eventually(async () => expect(await offered()).toHaveLength(2));
		expect(new Set(await offered())).toEqual(new Set([flood[0], customer.body.chatId]));

		// Grace takes the customer's chat: her freed seat goes to the flood's second chat, in turn.
		expect((await grace.call('POST', `/api/chats/${customer.body.chatId}/accept`)).status).toBe(200);
		expect((await grace.call('POST', `/api/chats/${flood[0]}/decline`)).status).toBe(200);
		await eventually(async () => expect(await offered()).toEqual([flood[1]]));
	});
});
