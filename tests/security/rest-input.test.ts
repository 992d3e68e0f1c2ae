import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';
import { buildWorld, databaseFingerprint, type Role, type World } from './world';

// REST under bad input: invalid bodies get 400 with a message that names the field, unknown ids
// get 404, and a failed request changes nothing (checked in the database).
let server: TestServer;
let w: World;
beforeAll(async () => {
	server = await startTestServer();
	await server.storage.facts.run(sql`UPDATE chat_configurations SET request_timeout_sec = 3600`);
	w = await buildWorld(server);
});
afterAll(async () => {
	await server?.stop();
});

async function refused(role: Role, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
	const client = new ApiClient(server.url);
	for (const [k, v] of w.as[role].cookies) client.cookies.set(k, v);
	const before = await databaseFingerprint(server);
	const res = await client.call(method, path, body, headers);
	expect(await databaseFingerprint(server), `${method} ${path} changed the database`).toBe(before);
	return res;
}

const long = (n: number) => 'x'.repeat(n);

describe('[security] invalid bodies: 400 naming the field, nothing changed', () => {
	const cases: { role: Role; method: string; path: (w: World) => string; body: unknown; field: string }[] = [
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: {}, field: 'email' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: { email: 'ada@parley.test' }, field: 'password' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: { email: 5, password: 'x' }, field: 'email' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: { email: 'a@b.c', password: long(201) }, field: 'password' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: '{"email":', field: 'body' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: '[1,2]', field: 'body' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/auth/login', body: 'null', field: 'body' },
		{ role: 'agentIn', method: 'PUT', path: () => '/api/agents/me/presence', body: { status: 'asleep' }, field: 'status' },
		{ role: 'agentIn', method: 'PUT', path: () => '/api/agents/me/presence', body: {}, field: 'status' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: {}, field: 'name' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: 'Pat' }, field: 'email' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: 'Pat', email: 'not-an-email', topic: 'Billing' }, field: 'email' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: long(81), email: 'p@e.com', topic: 'Billing' }, field: 'name' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: 'Pat', email: 'p@e.com', topic: 'Astrology' }, field: 'topic' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: '   ', email: 'p@e.com', topic: 'Billing' }, field: 'name' },
		{ role: 'anonymous', method: 'POST', path: () => '/api/chats', body: { name: ['Pat'], email: 'p@e.com', topic: 'Billing' }, field: 'name' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/conference-requests`, body: {}, field: 'agentId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/conference-requests`, body: { agentId: 'a', skill: 'tech' }, field: 'agentId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/conference-requests`, body: { agentId: 5 }, field: 'agentId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/conference-requests`, body: { skill: long(65) }, field: 'skill' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/transfer`, body: { skill: 7 }, field: 'skill' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/transfer`, body: {}, field: 'agentId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/records`, body: {}, field: 'recordId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/records`, body: { recordId: '' }, field: 'recordId' },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/records`, body: { recordId: { $ne: 1 } }, field: 'recordId' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/default', body: { requestTimeoutSec: -1 }, field: 'requestTimeoutSec' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/default', body: { requestTimeoutSec: 'soon' }, field: 'requestTimeoutSec' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/default', body: { conferenceEnabled: 'yes' }, field: 'conferenceEnabled' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/default', body: { agentIds: 'ada' }, field: 'agentIds' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/default', body: { agentIds: ['no-such-agent'] }, field: 'agentIds' },
		{ role: 'auditor', method: 'GET', path: () => '/api/audit/chats?from=yesterday', body: undefined, field: 'from' }
	];
	for (const c of cases)
		it(`[security] ${c.method} ${c.path(placeholder())} ${typeof c.body === 'string' ? c.body : JSON.stringify(c.body)} → 400 naming ${c.field}`, async () => {
			const res = await refused(c.role, c.method, c.path(w), c.body);
			expect(res.status, res.raw).toBe(400);
			expect(res.body.error.code).toBe('BAD_INPUT');
			expect(res.body.error.message, res.raw).toMatch(new RegExp(`^${c.field}\\b`));
		});
});

describe('[T2] names that would lie, and look-alike emails: 400 naming the field, nothing changed', () => {
	const start = (name: unknown, email = 'p@e.com') => ({ name, email, topic: 'Billing' });
	const cases: { label: string; body: unknown; field: 'name' | 'email' | 'token'; says?: RegExp }[] = [
		{ label: 'a bidi override', body: start('Pat\u202Egnp.exe'), field: 'name', says: /U\+202E/ },
		{ label: 'a right-to-left isolate', body: start('\u2067Pat'), field: 'name', says: /text-direction/ },
		{ label: 'an Arabic letter mark', body: start('Pat\u061C'), field: 'name' },
		{ label: 'only zero-width spaces', body: start('\u200B\u200B\u200B'), field: 'name', says: /invisible/ },
		{ label: 'a zero-width joiner alone', body: start('\u200D'), field: 'name' },
		{ label: 'a byte-order mark inside', body: start('Pa\uFEFFt'), field: 'name' },
		{ label: 'a Hangul filler', body: start('\u3164'), field: 'name' },
		{ label: 'a blank Braille pattern', body: start('\u2800'), field: 'name' },
		{ label: 'NUL', body: start('Pat\u0000'), field: 'name', says: /control/ },
		{ label: 'CR/LF', body: start('Pat\r\nAgent Ada: hi'), field: 'name', says: /U\+000D/ },
		{ label: 'a C1 control', body: start('Pat\u009B31m'), field: 'name' },
		{ label: 'a lone surrogate', body: '{"name":"Pa\\ud800t","email":"p@e.com","topic":"Billing"}', field: 'name', says: /broken/ },
		{ label: 'only combining marks', body: start('\u0301\u0301'), field: 'name', says: /nothing visible/ },
		{ label: 'Zalgo', body: start('Z' + '\u0336'.repeat(9)), field: 'name' },
		{ label: '81 code points', body: start('😀'.repeat(81)), field: 'name', says: /80 characters/ },
		{ label: 'a staff name', body: start('Ada'), field: 'name', says: /someone on our team.*surname or an initial/ },
		{ label: 'a staff name in fullwidth letters', body: start('Ａｄａ'), field: 'name', says: /“Ada”/ },
		{ label: 'a staff name with a Cyrillic a', body: start('Gr\u0430ce'), field: 'name', says: /“Grace”/ },
		{ label: 'a staff name spaced out', body: start('L i n u s'), field: 'name', says: /“Linus”/ },
		{ label: 'the product name', body: start('Parley'), field: 'name', says: /Parley/ },
		{ label: 'the product name with more', body: start('PARLEY Support'), field: 'name' },
		{ label: 'a bidi override in the email (guard: the email check refused it already)', body: start('Pat', 'pat\u202E@example.com'), field: 'email' },
		{ label: 'a zero-width space in the email (guard: the email check refused it already)', body: start('Pat', 'pat\u200B@example.com'), field: 'email' },
		{ label: 'NUL in the email (guard: the email check refused it already)', body: start('Pat', 'pat@example.com\u0000'), field: 'email' },
		{ label: 'fullwidth letters in the email (guard: the email check refused it already)', body: start('Pat', 'ｐａｔ@example.com'), field: 'email' },
		{ label: 'a token that is not a string', body: { ...start('Pat'), token: 5 }, field: 'token' }
	];
	for (const c of cases)
		it(`[T2] POST /api/chats with ${c.label} → 400 naming ${c.field}`, async () => {
			const res = await refused('anonymous', 'POST', '/api/chats', c.body);
			expect(res.status, res.raw).toBe(400);
			expect(res.body.error.code).toBe('BAD_INPUT');
			expect(res.body.error.message, res.raw).toMatch(new RegExp(`^${c.field}: `));
			if (c.says) expect(res.body.error.message).toMatch(c.says);
		});

	it('[T2] guard: an email is trimmed (also of a BOM and a line separator) and lower-cased, so it names the same customer however it was typed', async () => {
		const client = new ApiClient(server.url);
		const res = await client.call('POST', '/api/chats', { name: 'Quinn', email: '\uFEFF QUINN@Example.com\u2028', topic: 'Billing' });
		expect(res.status, res.raw).toBe(201);
		const stored = await server.row(sql`SELECT c.email FROM customers c JOIN chats h ON h.customer_id = c.id WHERE h.id = ${res.body.chatId}`);
		expect(stored).toEqual({ email: 'quinn@example.com' });
	});
});

describe('[security] unknown ids: 404, nothing changed', () => {
	const cases: { role: Role; method: string; path: (w: World) => string; body?: (w: World) => unknown }[] = [
		{ role: 'agentIn', method: 'GET', path: () => '/api/chats/no-such-chat' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/accept' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/end' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/leave' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/conference-requests', body: (w) => ({ agentId: w.ids.out }) },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/conference-requests`, body: () => ({ agentId: 'no-such-agent' }) },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/transfer', body: (w) => ({ agentId: w.ids.out }) },
		{ role: 'agentIn', method: 'GET', path: () => '/api/chats/no-such-chat/history' },
		{ role: 'agentIn', method: 'GET', path: () => '/api/chats/no-such-chat/workspace' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/chats/no-such-chat/records', body: () => ({ recordId: 'rec-order-7781' }) },
		{ role: 'agentIn', method: 'POST', path: (w) => `/api/chats/${w.chatA}/records`, body: () => ({ recordId: 'no-such-record' }) },
		{ role: 'agentIn', method: 'DELETE', path: (w) => `/api/chats/${w.chatA}/records/no-such-record` },
		{ role: 'agentIn', method: 'DELETE', path: () => '/api/chats/no-such-chat/records/rec-contact-pat' },
		{ role: 'agentOffered', method: 'POST', path: () => '/api/conference-requests/no-such-request/accept' },
		{ role: 'agentOffered', method: 'POST', path: () => '/api/conference-requests/no-such-request/decline' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/conference-requests/no-such-request/cancel' },
		{ role: 'agentIn', method: 'POST', path: () => '/api/banners/no-such-banner/dismiss' },
		{ role: 'admin', method: 'GET', path: () => '/api/admin/chat-configurations/no-such-configuration' },
		{ role: 'admin', method: 'PUT', path: () => '/api/admin/chat-configurations/no-such-configuration', body: () => ({ requestTimeoutSec: 30 }) },
		{ role: 'auditor', method: 'GET', path: () => '/api/audit/chats/no-such-chat/timeline' },
		{ role: 'auditor', method: 'GET', path: () => '/api/audit/chats/no-such-chat/state' },
		{ role: 'auditor', method: 'GET', path: () => '/api/audit/chats/no-such-chat/export' },
		{ role: 'anonymous', method: 'GET', path: () => '/api/no-such-endpoint' }
	];
	for (const c of cases)
		it(`[security] ${c.method} ${c.path(placeholder())} as ${c.role} → 404`, async () => {
			const res = await refused(c.role, c.method, c.path(w), c.body?.(w));
			expect(res.status, res.raw).toBe(404);
			expect(res.body.error.code).toBe('NOT_FOUND');
		});
});

describe('[security] declining a chat one was never offered', () => {
	it('[security] POST /api/chats/no-such-chat/decline → 403 NOT_OFFERED (an unknown chat is one more chat not offered to you), nothing changed', async () => {
		const res = await refused('agentIn', 'POST', '/api/chats/no-such-chat/decline');
		expect(res.status, res.raw).toBe(403);
		expect(res.body.error.code).toBe('NOT_OFFERED');
	});
});

/** Names in test titles (the world is built later, in beforeAll). */
function placeholder(): World {
	return { chatA: '<A>', ids: { out: '<out>' } } as unknown as World;
}
