import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, signIn, startCustomerChat } from '../helpers/api';
import { startTestServer, type TestServer } from '../helpers/server';

// Every answer — API, app page, file, error — says how a browser must treat it: no content
// sniffing, no referrer beyond our own origin, a Content-Security-Policy, and no framing by other
// sites. The pages need the built web app (`npm test` builds first).

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer();
});
afterAll(async () => {
	await server?.stop();
});

function expectCommon(res: { headers: Headers }, what: string) {
	expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
	expect(res.headers.get('referrer-policy'), what).toBe('same-origin');
}

/** The CSP as a map of directive → its sources. */
function directives(res: { headers: Headers }): Map<string, string[]> {
	const header = res.headers.get('content-security-policy') ?? '';
	return new Map(header.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([name, ...values]) => [name, values]));
}

async function tooManySignIns(client: ApiClient) {
	for (let i = 0; i < 10; i++) await client.call('POST', '/api/auth/login', { email: 'linus@parley.test', password: 'wrong' });
	return client.call('POST', '/api/auth/login', { email: 'linus@parley.test', password: 'wrong' });
}

describe('[security] response headers', () => {
	it("[security] API answers — success, bad input, not signed in, unknown route, too large, too many — carry nosniff, Referrer-Policy and CSP default-src 'none'; frame-ancestors 'none'", async () => {
		const anon = new ApiClient(server.url);
		const answers = [
			['GET /api/health', await anon.call('GET', '/api/health')],
			['POST /api/chats {}', await anon.call('POST', '/api/chats', {})],
			['GET /api/me', await anon.call('GET', '/api/me')],
			['GET /api/nope', await anon.call('GET', '/api/nope')],
			['POST /api/chats (too large)', await anon.call('POST', '/api/chats', { name: 'x'.repeat(100_000) })],
			['POST /api/auth/login (too many)', await tooManySignIns(anon)]
		] as const;
		expect(answers.map(([, r]) => r.status)).toEqual([200, 400, 401, 404, 413, 429]);
		for (const [what, res] of answers) {
			expectCommon(res, what);
			expect(res.headers.get('content-security-policy'), what).toBe("default-src 'none'; frame-ancestors 'none'");
		}
	});

	it('[security] app pages (/chat, /agent, /admin, /audit) and an unknown page carry the page CSP: scripts from our origin plus the nonce of their own inline script, no framing', async () => {
		for (const [path, status] of [['/chat', 200], ['/agent', 200], ['/admin', 200], ['/audit', 200], ['/no-such-page', 404]] as const) {
			const res = await fetch(server.url + path);
			const html = await res.text();
			expect(res.status, path).toBe(status);
			expectCommon(res, path);
			const csp = directives(res);
			expect(csp.get('default-src'), path).toEqual(["'self'"]);
			expect(csp.get('object-src'), path).toEqual(["'none'"]);
			expect(csp.get('base-uri'), path).toEqual(["'none'"]);
			expect(csp.get('frame-ancestors'), path).toEqual(["'none'"]);
			expect(csp.get('style-src'), path).toEqual(["'self'"]);
			const [self, nonce, ...more] = csp.get('script-src') ?? [];
			expect([self, more], path).toEqual(["'self'", []]);
			expect(nonce, path).toMatch(/^'nonce-[A-Za-z0-9+/=]+'$/);
			// Every inline script of the page carries that nonce, and nothing allows others.
			const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
			expect(scripts.length, path).toBeGreaterThan(0);
			for (const attrs of scripts) expect(attrs, path).toContain(`nonce="${nonce.slice(7, -1)}"`);
		}
		// A fresh nonce each time.
		const again = directives(await fetch(server.url + '/chat')).get('script-src');
		const first = directives(await fetch(server.url + '/chat')).get('script-src');
		expect(again).not.toEqual(first);
	});

	it("[security] files the app loads carry nosniff and a CSP that lets them run nothing of their own", async () => {
		const page = await (await fetch(server.url + '/chat')).text();
		const script = /src="([^"]+\.js)"|import\("([^"]+\.js)"\)|href="([^"]+\.js)"/.exec(page);
		const path = new URL(script![1] ?? script![2] ?? script![3], server.url + '/chat').pathname;
		for (const file of ['/favicon.svg', path]) {
			const res = await fetch(server.url + file);
			expect(res.status, file).toBe(200);
			expectCommon(res, file);
			expect(res.headers.get('content-security-policy'), file).toBe("default-src 'none'; frame-ancestors 'none'");
		}
	});

	it("[security] the audit HTML export keeps its own strict CSP (no script at all), with the common headers", async () => {
		const customer = await startCustomerChat(server);
		const auditor = await signIn(server, 'audit@parley.test');
		const res = await fetch(`${server.url}/api/audit/chats/${customer.chatId}/export?format=html`, {
			headers: { cookie: `parley_session=${auditor.sessionToken}` }
		});
		expect(res.status).toBe(200);
		expect(await res.text()).toContain('<!doctype');
		expectCommon(res, 'export');
		const csp = directives(res);
		expect(csp.get('default-src')).toEqual(["'none'"]);
		expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
		expect(csp.has('script-src')).toBe(false);
	});
});
