import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WS from 'ws';
import { ChatDoc } from '../../src/lib/sync/chat-doc.svelte';
import { eventually, startTestServer, type TestServer } from '../helpers/server';

// The browser's sync client (src/lib/sync) against the real server, run in Node: `location`
// and `WebSocket` stand in for the browser's, the cookie the browser would send included.

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
	const { host } = new URL(server.url);
	(globalThis as { location?: unknown }).location = { protocol: 'http:', host };
});

afterAll(async () => {
	delete (globalThis as { location?: unknown }).location;
	delete (globalThis as { WebSocket?: unknown }).WebSocket;
	await server?.stop();
});

/** A WebSocket class that sends `cookie` on the upgrade, as a browser would. */
function browserLikeSocket(cookie: string) {
	return class extends WS {
		constructor(url: string, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie } });
		}
	};
}

async function startChat() {
	const res = await fetch(`${server.url}/api/chats`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ name: 'Nora Node', email: 'nora@example.com', topic: 'Billing' })
	});
	expect(res.status).toBe(201);
	const body = (await res.json()) as { chatId: string; customer: { id: string; role: 'customer'; name: string } };
	const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
	return { ...body, cookie };
}

describe('browser sync client', () => {
	it('syncs a chat, appends as itself, and starts a fresh document after a 4400 refusal', async () => {
		const { chatId, customer, cookie } = await startChat();
		(globalThis as { WebSocket?: unknown }).WebSocket = browserLikeSocket(cookie);
		const chat = new ChatDoc(chatId);
		try {
			await eventually(() => expect(chat.live.synced).toBe(true));
			expect(chat.live.status).toBe('connected');
			expect(chat.meta.status).toBe('waiting');

			expect(chat.send(customer, 'hello from node')).toBe(true);
			await eventually(() => expect(chat.messages.some((m) => m.text === 'hello from node')).toBe(true));

			// Someone else's name: the server refuses the update and closes with 4400.
			const firstDoc = chat.live.doc;
			chat.send({ ...customer, name: 'Somebody Else' }, 'forged');
			await eventually(() => expect(chat.live.doc).not.toBe(firstDoc));
			expect(chat.live.notice).toMatch(/refused/);
			await eventually(() => expect(chat.live.synced).toBe(true));
			expect(chat.messages.map((m) => m.text)).toContain('hello from node');
			expect(chat.messages.map((m) => m.text)).not.toContain('forged');

			// The fresh document writes again.
			chat.send(customer, 'still here');
			await eventually(() => expect(chat.messages.map((m) => m.text)).toContain('still here'));
			expect(chat.live.closed).toBeNull();
		} finally {
			chat.destroy();
		}
	});

	it('stops and reports the reason when the server refuses access (4401)', async () => {
		const { chatId } = await startChat();
		(globalThis as { WebSocket?: unknown }).WebSocket = browserLikeSocket('');
		const chat = new ChatDoc(chatId);
		try {
			await eventually(() => expect(chat.live.status).toBe('closed'));
			expect(chat.live.closed?.code).toBe(4401);
			expect(chat.live.closed?.message).toMatch(/sign in/i);
			expect(chat.live.doc).toBeNull();
		} finally {
			chat.destroy();
		}
	});
});
