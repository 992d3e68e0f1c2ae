import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { PNG } from '../helpers/upload';
import { acceptedChat, customerChat, expectError, expectKeys } from './readme';

// README "Attachments (B9)" and the attachment rows of "API": what the other suites
// (tests/integration/attachments.test.ts, thumbnails.test.ts) do not pin down yet — the 400s of
// a malformed upload, 409 CHAT_ENDED, another chat's id, and the download's caching headers.

let server: TestServer;
beforeEach(async () => {
	server = await startTestServer();
});
afterEach(async () => {
	await server.stop();
});

type Part = { name: string; value: string | Buffer; filename?: string };
/** multipart/form-data with the parts in the order given (README: fields, then one `file`). */
function form(parts: Part[]) {
	const boundary = 'readme-contract-boundary';
	const chunks = parts.flatMap((p) => [
		Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename ? `; filename="${p.filename}"` : ''}\r\n${p.filename ? 'Content-Type: application/octet-stream\r\n' : ''}\r\n`),
		Buffer.from(p.value),
		Buffer.from('\r\n')
	]);
	return { body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/** POST /api/chats/:id/attachments with a chat token as Bearer (README "API"). */
async function post(chatId: string, token: string, parts: Part[]) {
	const { body, type } = form(parts);
	const res = await fetch(`${server.url}/api/chats/${chatId}/attachments`, { method: 'POST', headers: { 'content-type': type, authorization: `Bearer ${token}` }, body });
	const raw = await res.text();
	return { status: res.status, body: raw ? JSON.parse(raw) : null };
}
const file = (value: string | Buffer = PNG, filename = 'screen.png'): Part => ({ name: 'file', value, filename });

describe('[B9] README: uploading a file', () => {
	it('[B9] 201 {attachment: {id, name, type, size, sha256}}; `agentsOnly=false` is a plain upload; a field after the file part is ignored', async () => {
		const { customer } = await acceptedChat(server);
		const res = await post(customer.chatId, customer.token, [{ name: 'agentsOnly', value: 'false' }, file()]);
		expect(res.status).toBe(201);
		expectKeys(res.body, ['attachment']);
		expectKeys(res.body.attachment, ['id', 'name', 'type', 'size', 'sha256']);
		expect(res.body.attachment).toMatchObject({ name: 'screen.png', type: 'image/png', size: PNG.length });
		// For the customer, `agentsOnly=true` would be 403: after the file part it is not read.
		expect((await post(customer.chatId, customer.token, [file(), { name: 'agentsOnly', value: 'true' }])).status).toBe(201);
	});

	it('[B9] 400 BAD_INPUT: an empty file, no `file` part, an `agentsOnly` that is not true/false', async () => {
		const { customer } = await acceptedChat(server);
		expectError(await post(customer.chatId, customer.token, [file('')]), 400, 'BAD_INPUT');
		expectError(await post(customer.chatId, customer.token, [{ name: 'agentsOnly', value: 'false' }]), 400, 'BAD_INPUT');
		expectError(await post(customer.chatId, customer.token, [{ name: 'agentsOnly', value: 'yes' }, file()]), 400, 'BAD_INPUT');
	});

	it('[B9] 409 CHAT_ENDED once the chat ended; 415 UNSUPPORTED_TYPE for SVG whatever its name', async () => {
		const { customer } = await acceptedChat(server);
		const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>';
		expectError(await post(customer.chatId, customer.token, [file(svg, 'cat.png')]), 415, 'UNSUPPORTED_TYPE');
		expect((await customer.call('POST', `/api/chats/${customer.chatId}/end`)).status).toBe(200);
		expectError(await post(customer.chatId, customer.token, [file()]), 409, 'CHAT_ENDED');
	});
});

describe('[B9] README: reading files', () => {
	it('[B9] a download carries CORP same-origin and Cache-Control private, no-cache; ?thumb=1 is image/webp inline', async () => {
		const { customer } = await acceptedChat(server);
		const up = await post(customer.chatId, customer.token, [file()]);
		const url = `${server.url}/api/chats/${customer.chatId}/attachments/${up.body.attachment.id}`;
		const auth = { authorization: `Bearer ${customer.token}` };
		const res = await fetch(url, { headers: auth });
		expect(res.status).toBe(200);
		expect({
			type: res.headers.get('content-type'),
			corp: res.headers.get('cross-origin-resource-policy'),
			cache: res.headers.get('cache-control'),
			csp: res.headers.get('content-security-policy'),
			nosniff: res.headers.get('x-content-type-options')
		}).toEqual({ type: 'image/png', corp: 'same-origin', cache: 'private, no-cache', csp: "sandbox; default-src 'none'; frame-ancestors 'none'", nosniff: 'nosniff' });
		expect(Buffer.from(await res.arrayBuffer()).equals(PNG)).toBe(true);
		const thumb = await fetch(`${url}?thumb=1`, { headers: auth });
		expect(thumb.status).toBe(200);
		expect(thumb.headers.get('content-type')).toBe('image/webp');
		expect(thumb.headers.get('content-disposition')).toMatch(/^inline/);
	});

	it('[B9] another chat\'s id is 404 (also for its own customer); the list is {attachments: [{id, name, type, size, agentsOnly}]}', async () => {
		const { ada, customer } = await acceptedChat(server);
		const other = await customerChat(server, 'Billing', 'Lee', 'lee@example.com');
		const up = await post(customer.chatId, customer.token, [file()]);
		const viaOther = await fetch(`${server.url}/api/chats/${other.chatId}/attachments/${up.body.attachment.id}`, { headers: { authorization: `Bearer ${other.token}` } });
		expect(viaOther.status).toBe(404);
		const list = await ada.call('GET', `/api/chats/${customer.chatId}/attachments`);
		expectKeys(list.body, ['attachments']);
		expect(list.body.attachments).toEqual([{ id: up.body.attachment.id, name: 'screen.png', type: 'image/png', size: PNG.length, agentsOnly: false }]);
	});
});
