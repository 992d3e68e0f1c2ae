import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';

// Operations (README "Operations"): request ids and request log lines.

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
