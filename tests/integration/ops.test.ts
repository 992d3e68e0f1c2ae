import { CLOSE } from '../../server/sync/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { chatWith } from '../helpers/conference';
import { checkHistograms, parsePrometheus } from '../helpers/prometheus';
import { eventually, startTestServer, TEST_STORE, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// Operations (README "Operations"): health, metrics, request ids and request log lines.

let server: TestServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

/** Log lines as the server writes them (JSON, one a line), kept for the test to read. */
function logLines() {
	const lines: Record<string, any>[] = [];
	return { lines, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } };
}

const scrape = async (s: TestServer, headers: Record<string, string> = {}) => {
	const res = await fetch(`${s.url}/metrics`, { headers });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
	const parsed = parsePrometheus(await res.text());
	checkHistograms(parsed);
	return parsed;
};
const requests = (route: string, status = '2xx', method = 'GET') => ({ method, route, status });

describe('[ops] GET /api/health', () => {
	it('[ops] reports the store: 200 {ok: true, store: {ok: true, kind: "sqlite" | "postgres"}}', async () => {
		server = await startTestServer();
		const res = await new ApiClient(server.url).call('GET', '/api/health');
		expect(res.status).toBe(200);
		expect(res.body).toEqual({ ok: true, store: { ok: true, kind: TEST_STORE } });
		expect(res.headers.get('cache-control')).toBe('no-store');
	});

	it('[ops] answers 503 with the store part not ok when the database does not answer, and logs why', async () => {
		const log = logLines();
		server = await startTestServer({ logLevel: 'info', logDestination: log.destination });
		await server.storage.close();
		const res = await new ApiClient(server.url).call('GET', '/api/health');
		expect(res.status).toBe(503);
		expect(res.body).toEqual({ ok: false, store: { ok: false, kind: TEST_STORE } });
		const warning = log.lines.find((l) => l.msg === 'health check failed');
		expect(warning).toMatchObject({ level: 'warn', part: 'store', requestId: res.headers.get('x-request-id') });
		// better-sqlite3's "The database connection is not open"; postgres.js's "write CONNECTION_ENDED …".
		expect(warning?.err.message).toMatch(TEST_STORE === 'sqlite' ? /not open/ : /CONNECTION_ENDED/);
	});
});

describe('[ops][B5] GET /api/ready', () => {
	it('[B5 ready] 200 {ready: true, bus: "off"} while it takes traffic; 503 when its store does not answer', async () => {
		server = await startTestServer();
		const api = new ApiClient(server.url);
		const ready = await api.call('GET', '/api/ready');
		expect(ready.status).toBe(200);
		expect(ready.body).toEqual({ ready: true, bus: 'off' });
		expect(ready.headers.get('cache-control')).toBe('no-store');
		await server.storage.close();
		const broken = await api.call('GET', '/api/ready');
		expect(broken.status).toBe(503);
		expect(broken.body).toEqual({ ready: false, bus: 'off' });
	});
});

describe('[ops] request ids and request log lines', () => {
	it('[ops] a sane X-Request-Id is echoed; a missing or odd one is replaced by a generated one', async () => {
		server = await startTestServer();
		const api = new ApiClient(server.url);
		expect((await api.call('GET', '/api/topics', undefined, { 'x-request-id': 'lb-7f3a.42' })).headers.get('x-request-id')).toBe('lb-7f3a.42');
		for (const odd of [undefined, 'x'.repeat(129), 'a b', '<script>', 'ünï']) {
			const res = await api.call('GET', '/api/nope', undefined, odd === undefined ? {} : { 'x-request-id': odd });
			expect(res.status).toBe(404);
			expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
		}
		// Refused by a middleware before any route ran: still carries one.
		const foreign = await api.call('POST', '/api/chats', {}, { origin: 'https://evil.example', 'x-request-id': 'r-1' });
		expect(foreign.status).toBe(403);
		expect(foreign.headers.get('x-request-id')).toBe('r-1');
	});

	it('[ops] every request line has the request id, route pattern and actor, and no password, token, cookie or email', async () => {
		const log = logLines();
		server = await startTestServer({ logLevel: 'info', logDestination: log.destination });
		const ada = await signIn(server, 'ada@parley.test');
		const me = await ada.call('GET', '/api/me', undefined, { 'x-request-id': 'me-1' });
		const anon = await new ApiClient(server.url).call('GET', '/api/me');
		await new ApiClient(server.url).call('GET', '/api/topics');
		const customer = await startCustomerChat(server, 'Billing', 'Kim', 'kim@example.com');
		await customer.call('GET', `/api/chats/${customer.chatId}`);
		await new ApiClient(server.url).call('POST', '/api/auth/login', { email: 'ada@parley.test', password: 'wrong-password' });

		const lines = log.lines.filter((l) => l.msg === 'request');
		expect(lines.length).toBe(7);
		for (const l of lines) expect(Object.keys(l).sort()).toEqual(['actor', 'hostname', 'level', 'method', 'ms', 'msg', 'path', 'pid', 'requestId', 'route', 'status', 'time']);
		const at = (route: string, status: number) => lines.filter((l) => l.route === route && l.status === status);
		expect(at('/api/auth/login', 200)[0]).toMatchObject({ actor: 'user:ada', method: 'POST' });
		expect(at('/api/me', 200)[0]).toMatchObject({ actor: 'user:ada', requestId: 'me-1' });
		expect(at('/api/me', 401)[0]).toMatchObject({ actor: 'anonymous', requestId: anon.headers.get('x-request-id') });
		expect(at('/api/topics', 200)[0].actor).toBe('-');
		expect(at('/api/chats', 201)[0].actor).toBe(`customer:${customer.customer.id}`);
		expect(at('/api/chats/:id', 200)[0]).toMatchObject({ actor: `customer:${customer.customer.id}`, path: `/api/chats/${customer.chatId}` });
		expect(at('/api/auth/login', 401)[0].actor).toBe('-');
		expect(me.status).toBe(200);

		const text = JSON.stringify(log.lines);
		for (const secret of ['parley-demo', 'wrong-password', ada.sessionToken!, customer.token, 'kim@example.com', 'ada@parley.test', 'Kim'])
			expect(text).not.toContain(secret);
	});
});

describe('[ops] GET /metrics', () => {
	it('[ops] parses as Prometheus text and moves when a request is made; routes are patterns, never raw paths', async () => {
		server = await startTestServer({ metrics: { on: true } });
		const before = await scrape(server);
		expect(before.types.get('parley_http_request_duration_seconds')).toBe('histogram');
		expect(before.value('process_resident_memory_bytes')).toBeGreaterThan(0);
		const api = new ApiClient(server.url);
		await api.call('GET', '/api/topics');
		await api.call('GET', '/api/chats/c-one');
		await api.call('GET', '/api/chats/c-two');
		await api.call('GET', '/api/nope/c-three');
		const after = await scrape(server);
		const count = (m: ReturnType<typeof parsePrometheus>, labels: Record<string, string>) =>
			m.value('parley_http_request_duration_seconds_count', labels) ?? 0;
		expect(count(after, requests('/api/topics')) - count(before, requests('/api/topics'))).toBe(1);
		expect(count(after, requests('/api/chats/:id', '4xx'))).toBe(2);
		expect(count(after, requests('unmatched', '4xx'))).toBe(1);
		expect([...after.samples.keys()].join('\n')).not.toMatch(/c-one|c-two|c-three/);
	});

	it('[ops] counts connections, loaded documents and appended updates of a live chat', async () => {
		server = await startTestServer({ metrics: { on: true } });
		const { customer } = await chatWith(server);
		const base = await scrape(server);
		const pat = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		await pat.synced();
		pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'hello', Date.now(), 'm1')]);
		const s = server;
		await eventually(async () => {
			const now = await scrape(s);
			expect(now.value('parley_sync_connections')).toBe(1);
			expect(now.value('parley_documents_loaded')).toBeGreaterThanOrEqual(1);
			expect(now.value('parley_updates_appended_total')! - base.value('parley_updates_appended_total')!).toBeGreaterThanOrEqual(1);
		});
		pat.destroy();
		await eventually(async () => expect((await scrape(s)).value('parley_sync_connections')).toBe(0));
		expect(base.types.get('parley_sync_refusals_total')).toBe('counter');
	});

	it('[ops] counts the sync sockets the server refused, by close code', async () => {
		server = await startTestServer({ metrics: { on: true } });
		const { customer } = await chatWith(server);
		const refused = (m: Awaited<ReturnType<typeof scrape>>, code: number) => m.value('parley_sync_refusals_total', { code: String(code) }) ?? 0;
		const before = await scrape(server);
		const nowhere = connectDoc(server.url, 'no-such-kind/x', customer.token);
		await nowhere.closedWith(CLOSE.NO_SUCH_DOC);
		nowhere.destroy();
		const forger = connectDoc(server.url, `chat/${customer.chatId}`, customer.token);
		await forger.synced();
		forger.doc.getArray('messages').insert(0, [newTextMessage(customer.customer, 'first!', Date.now(), 'f1')]);
		await forger.closedWith(CLOSE.UPDATE_REFUSED);
		forger.destroy();
		const s = server;
		await eventually(async () => {
			const after = await scrape(s);
			expect(refused(after, CLOSE.NO_SUCH_DOC) - refused(before, CLOSE.NO_SUCH_DOC)).toBe(1);
			expect(refused(after, CLOSE.UPDATE_REFUSED) - refused(before, CLOSE.UPDATE_REFUSED)).toBe(1);
		});
	});

	it('[ops] is off unless turned on: 404, and nothing measured is told', async () => {
		server = await startTestServer({ metrics: { on: false } });
		const res = await fetch(`${server.url}/metrics`);
		expect(res.status).toBe(404);
		expect(await res.text()).not.toContain('parley_');
	});

	it('[ops] with METRICS_TOKEN answers only Authorization: Bearer <token> (401 otherwise)', async () => {
		const token = 'm'.repeat(40);
		server = await startTestServer({ metrics: { on: true, token } });
		for (const authorization of [undefined, 'Bearer wrong', `Bearer ${token}x`, token, `Basic ${token}`]) {
			const res = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
			expect(res.status, authorization).toBe(401);
			expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
			expect(await res.text()).not.toContain('parley_');
		}
		expect((await scrape(server, { authorization: `Bearer ${token}` })).value('parley_documents_loaded')).toBe(0);
	});
});
