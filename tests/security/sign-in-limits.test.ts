import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_LOGIN_LIMITS } from '../../server/auth/login-limiter';
import { ApiClient } from '../helpers/api';
import { callFrom } from '../helpers/from-address';
import { startTestServer, type TestServer } from '../helpers/server';

// T3: failed sign-ins slow down the source that makes them, never the account it aims at.

let server: TestServer | undefined;
afterEach(async () => {
	await server?.stop();
	server = undefined;
});

let clock = Date.now();
const { failuresPerAddress, failuresPerAddressAndEmail, windowMs } = DEFAULT_LOGIN_LIMITS;

async function start(trustProxy: number) {
	clock = Date.now();
	server = await startTestServer({ trustProxy, now: () => clock });
}

/** A sign-in; `from` is sent as X-Forwarded-For (what a trusted proxy would write). */
function signInFrom(from: string | undefined, email: string, password: string) {
	return new ApiClient(server!.url).call('POST', '/api/auth/login', { email, password }, from ? { 'x-forwarded-for': from } : {});
}

describe('[T3] a sign-in lockout that cannot be aimed', () => {
	it(`[T3] ${failuresPerAddressAndEmail} wrong passwords for admin@ from one address get that address 429 with Retry-After; the admin signs in from another`, async () => {
		await start(1);
		const attacker = '198.51.100.13';
		for (let i = 0; i < failuresPerAddressAndEmail; i++)
			expect((await signInFrom(attacker, 'admin@parley.test', `guess-${i}`)).status).toBe(401);
		const refused = await signInFrom(attacker, 'admin@parley.test', 'parley-demo');
		expect(refused.status).toBe(429);
		expect(refused.body.error.code).toBe('TOO_MANY_ATTEMPTS');
		expect(refused.body.error.message).toMatch(/too many failed sign-ins from your network; please try again in 5 minutes/);
		expect(Number(refused.headers.get('retry-after'))).toBe(windowMs / 1000);
		expect(refused.headers.getSetCookie()).toEqual([]);

		const admin = await signInFrom('203.0.113.50', 'admin@parley.test', 'parley-demo');
		expect(admin.status).toBe(200);
		expect(admin.body.user.email).toBe('admin@parley.test');

		// The attacker's count resets as its failures age out of the window.
		clock += windowMs;
		expect((await signInFrom(attacker, 'admin@parley.test', 'still-wrong')).status).toBe(401);
	});

	it(`[T3] one address trying many emails is refused after ${failuresPerAddress} failures, for every email; other addresses are not`, async () => {
		await start(1);
		const attacker = '2001:db8:66::1';
		for (let i = 0; i < failuresPerAddress; i++) {
			// A fresh address in the same IPv6 /64 each time: still one source.
			const from = `2001:db8:66::${(i + 1).toString(16)}`;
			expect((await signInFrom(from, `user${i}@example.com`, 'wrong')).status).toBe(401);
		}
		expect((await signInFrom(attacker, 'new@example.com', 'wrong')).status).toBe(429);
		expect((await signInFrom(attacker, 'ada@parley.test', 'parley-demo')).status).toBe(429);
		expect((await signInFrom('2001:db8:67::1', 'ada@parley.test', 'parley-demo')).status).toBe(200);
	});

	it('[T3] a correct password clears the count of its address and email', async () => {
		await start(0);
		for (let i = 0; i < failuresPerAddressAndEmail - 1; i++)
			expect((await signInFrom(undefined, 'grace@parley.test', 'wrong')).status).toBe(401);
		expect((await signInFrom(undefined, 'grace@parley.test', 'parley-demo')).status).toBe(200);
		for (let i = 0; i < failuresPerAddressAndEmail - 1; i++)
			expect((await signInFrom(undefined, 'grace@parley.test', 'wrong')).status).toBe(401);
		expect((await signInFrom(undefined, 'grace@parley.test', 'parley-demo')).status).toBe(200);
	});

	it('[T3] attempts sent all at once are counted before any password is checked: no more than the limit get through', async () => {
		await start(0);
		const results = await Promise.all(
			Array.from({ length: failuresPerAddressAndEmail * 3 }, (_, i) => signInFrom(undefined, 'linus@parley.test', `burst-${i}`))
		);
		const statuses = results.map((r) => r.status);
		expect(statuses.filter((s) => s === 401)).toHaveLength(failuresPerAddressAndEmail);
		expect(statuses.filter((s) => s === 429)).toHaveLength(failuresPerAddressAndEmail * 2);
	});

	it('[T3] without TRUST_PROXY the socket address counts: writing X-Forwarded-For dodges nothing, and the account signs in from another address', async () => {
		await start(0);
		const login = (from: string, password: string, spoof: string) =>
			callFrom(from, server!.url, 'POST', '/api/auth/login', { email: 'margaret@parley.test', password }, { 'x-forwarded-for': spoof });
		for (let i = 0; i < failuresPerAddressAndEmail; i++) expect((await login('127.0.0.2', 'wrong', `198.51.100.${i + 1}`)).status).toBe(401);
		expect((await login('127.0.0.2', 'parley-demo', '198.51.100.99')).status).toBe(429);
		expect((await login('127.0.0.3', 'parley-demo', '198.51.100.99')).status).toBe(200);
	});
});
