import type { TestServer } from './server';

export interface ApiResult<T = any> {
	status: number;
	body: T;
	headers: Headers;
	raw: string;
}

/** A person talking to the API: keeps its own cookies like a browser would. */
export class ApiClient {
	cookies = new Map<string, string>();
	constructor(readonly base: string) {}

	async call<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResult<T>> {
		const res = await fetch(this.base + path, {
			method,
			headers: {
				...(body !== undefined ? { 'content-type': 'application/json' } : {}),
				...(this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {}),
				...headers
			},
			body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
		});
		for (const c of res.headers.getSetCookie()) {
			const [pair] = c.split(';');
			const i = pair.indexOf('=');
			const value = pair.slice(i + 1);
			if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(pair.slice(0, i));
			else this.cookies.set(pair.slice(0, i), value);
		}
		const raw = await res.text();
		// A file (an attachment, a page) is not JSON: its text is in `raw`.
		const json = raw !== '' && !/^(image|application\/pdf|text\/plain)/.test(res.headers.get('content-type') ?? '');
		return { status: res.status, body: json ? JSON.parse(raw) : null, headers: res.headers, raw };
	}

	get sessionToken() {
		return this.cookies.get('parley_session');
	}
}

export async function signIn(server: TestServer, email: string, password = 'parley-demo') {
	const client = new ApiClient(server.url);
	const res = await client.call('POST', '/api/auth/login', { email, password });
	if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.raw}`);
	return Object.assign(client, { user: res.body.user as { id: string; name: string } });
}

/** A customer starts a chat from a fresh browser (a cookie jar of its own). */
export async function startCustomerChat(server: TestServer, topic = 'Billing', name = 'Pat', email = 'pat@example.com') {
	return startChatFrom(new ApiClient(server.url), topic, name, email);
}

/**
 * A customer starts a chat from `browser`, which sends the chat cookies it holds (T4: a cookie of
 * a proven chat of the same customer proves the new one). The answer's chat becomes the current one.
 */
export async function startChatFrom<C extends ApiClient>(browser: C, topic = 'Billing', name = 'Pat', email = 'pat@example.com') {
	const res = await browser.call('POST', '/api/chats', { name, email, topic });
	if (res.status !== 201) throw new Error(`start chat: ${res.status} ${res.raw}`);
	return Object.assign(browser, {
		chatId: res.body.chatId as string,
		token: res.body.token as string,
		customer: res.body.customer as { id: string; role: 'customer'; name: string }
	});
}
