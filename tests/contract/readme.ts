import { expect } from 'vitest';
import { ApiClient } from '../helpers/api';
import type { TestServer } from '../helpers/server';

// What a stock client written from the README alone relies on: exact key sets, times in ms since
// the Unix epoch, and the one error shape. Only README words go in here (paths, fields, codes).

/** README "API": "Every time … is a whole number of milliseconds since the Unix epoch (UTC)". */
export function expectMs(value: unknown, near = Date.now()) {
	expect(Number.isInteger(value), `${JSON.stringify(value)} is not a whole number`).toBe(true);
	// Within a day of now: not seconds (1e9), not microseconds (1e15).
	expect(Math.abs((value as number) - near)).toBeLessThan(86_400_000);
}

/** The object has exactly these keys (optional ones may be absent), no others. */
export function expectKeys(value: unknown, keys: string[], optional: string[] = []) {
	expect(value, 'an object').toBeTypeOf('object');
	const own = Object.keys(value as object).sort();
	const missing = keys.filter((k) => !own.includes(k));
	const extra = own.filter((k) => !keys.includes(k) && !optional.includes(k));
	expect({ missing, extra }).toEqual({ missing: [], extra: [] });
}

/** README "API": errors are `{"error": {"code": "…", "message": "…"}}` with the code's status. */
export function expectError(res: { status: number; body: any }, status: number, code: string, field?: string) {
	expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
	expectKeys(res.body, ['error']);
	expectKeys(res.body.error, ['code', 'message']);
	expect(res.body.error.message).toBeTypeOf('string');
	if (field) expect(res.body.error.message.startsWith(`${field}:`), res.body.error.message).toBe(true);
}

/** A demo login (README "Demo logins"), signed in the way the README says: POST /api/auth/login. */
export async function login(server: TestServer, email: string) {
	const client = new ApiClient(server.url);
	const res = await client.call('POST', '/api/auth/login', { email, password: 'parley-demo' });
	expect(res.status).toBe(200);
	return Object.assign(client, { user: res.body.user as { id: string; name: string; role: string } });
}

/** An agent who is signed in and available (`PUT /api/agents/me/presence`). */
export async function available(server: TestServer, email: string) {
	const agent = await login(server, email);
	expect((await agent.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
	return agent;
}

/** A customer's chat (`POST /api/chats`) from a browser of its own. */
export async function customerChat(server: TestServer, topic = 'Billing', name = 'Kim', email = 'kim@example.com', browser = new ApiClient(server.url)) {
	const res = await browser.call('POST', '/api/chats', { name, email, topic });
	expect(res.status).toBe(201);
	return Object.assign(browser, {
		chatId: res.body.chatId as string,
		token: res.body.token as string,
		customer: res.body.customer as { id: string; role: 'customer'; name: string }
	});
}

/** A Billing chat Ada has accepted (README: omni chats are offered to available agents). */
export async function acceptedChat(server: TestServer) {
	const ada = await available(server, 'ada@parley.test');
	const customer = await customerChat(server);
	expect((await ada.call('POST', `/api/chats/${customer.chatId}/accept`)).status).toBe(200);
	return { ada, customer };
}
