import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import type { Author } from '../../src/lib/core/types';
import { contextFor } from '../../server/services/context';
import { sweepAttachments } from '../../server/services/attachments/sweep-attachments';
import { startTestServer, type TestServer } from '../helpers/server';
import { cookieHeader, download, multipart, PDF, PNG, upload } from '../helpers/upload';
import { forgeUpdate, messageIds } from '../security/forge';
import { RawSocket, updateFrame } from '../security/raw-socket';
import { buildWorld, type World } from '../security/world';

// Issue 17 (B9), server side: limits, types, entitlement, the policy on references, clean-up.

let server: TestServer;
let w: World;
let offset = 0; // the server's clock runs `offset` ms ahead of the real one (the sweep's test)
const MB = 1024 * 1024;

beforeAll(async () => {
	server = await startTestServer({ now: () => Date.now() + offset });
	w = await buildWorld(server);
});
afterAll(async () => {
	await server?.stop();
});

const blobFiles = () => (existsSync(join(server.dataDir, 'blobs')) ? readdirSync(join(server.dataDir, 'blobs')).filter((n) => n !== 'tmp') : []);
const tempFiles = () => (existsSync(join(server.dataDir, 'blobs', 'tmp')) ? readdirSync(join(server.dataDir, 'blobs', 'tmp')) : []);
const attachmentRows = async () => Number((await server.row(sql`SELECT count(*) AS n FROM attachments`)).n);

/** Appends a message carrying `attachments` to `doc` as `author` over a raw socket: 'accepted' or the close code. */
async function sendWithFiles(doc: string, token: string | undefined, author: Author, attachments: string[]): Promise<'accepted' | number> {
	const s = new RawSocket(server.url, doc, { token });
	try {
		await s.serverStateVector();
		const id = `m-${Math.random().toString(36).slice(2)}`;
		const state = (await import('yjs')).encodeStateAsUpdate((await server.docs.get(doc)).doc);
		const update = forgeUpdate(state, (d) => d.getArray('messages').push([{ ...newTextMessage(author, 'see the file', server.app.clock(), id), attachments }]));
		s.send(updateFrame(update!));
		const closed = await s.barrier();
		if (closed) return closed.code;
		return messageIds((await server.docs.get(doc)).doc).includes(id) ? 'accepted' : -1;
	} finally {
		s.close();
	}
}

describe('[B9] uploading and downloading', () => {
	it('[B9] the customer uploads a PNG: 201 with id, name, type, size and SHA-256 of the bytes', async () => {
		const res = await upload(w.as.customerA, w.chatA, { name: 'screen.png', bytes: PNG, type: 'image/png' });
		expect(res.status, res.raw).toBe(201);
		expect(res.body.attachment).toEqual({
			id: expect.any(String),
			name: 'screen.png',
			type: 'image/png',
			size: PNG.length,
			sha256: createHash('sha256').update(PNG).digest('hex')
		});
		const row = await server.row(sql`SELECT * FROM attachments WHERE id = ${res.body.attachment.id}`);
		expect(row.uploaded_by).toBe(w.author('customerA').id);
		expect(Boolean(row.agents_only)).toBe(false);
	});

	it('[B9] served to the chat\'s customer, its agents now and auditors; refused to everyone else', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: 'shot.png', bytes: PNG });
		const id = body.attachment.id;
		const got: Record<string, number> = {};
		for (const role of ['anonymous', 'customerA', 'customerB', 'agentIn', 'agentOut', 'agentLeft', 'admin', 'auditor'] as const)
			got[role] = (await download(w.as[role], w.chatA, id)).status;
		expect(got).toEqual({ anonymous: 401, customerA: 200, customerB: 403, agentIn: 200, agentOut: 403, agentLeft: 403, admin: 403, auditor: 200 });
		// Another chat's path does not serve it either.
		expect((await download(w.as.customerB, w.chatB, id)).status).toBe(404);
	});

	it('[B9] an inline-safe image is served inline, with nosniff, a sandboxing CSP and its exact type', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: 'écran;1.png', bytes: PNG });
		const res = await download(w.as.agentIn, w.chatA, body.attachment.id);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('image/png');
		expect(res.headers.get('x-content-type-options')).toBe('nosniff');
		expect(res.headers.get('content-security-policy')).toContain("sandbox; default-src 'none'");
		expect(res.headers.get('content-disposition')).toBe(`inline; filename="_cran_1.png"; filename*=UTF-8''${encodeURIComponent('écran;1.png')}`);
		expect(res.bytes.equals(PNG)).toBe(true);
	});

	it('[B9] a hostile file name is stored, answered and served cleaned: no path, no controls, no bidi override', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: '../../x/invoice\u202Egnp\t.png', bytes: PNG });
		expect(body.attachment.name).toBe('invoicegnp.png');
		const res = await download(w.as.agentIn, w.chatA, body.attachment.id);
		expect(res.headers.get('content-disposition')).toBe(`inline; filename="invoicegnp.png"; filename*=UTF-8''invoicegnp.png`);
	});

	it('[B9] a PDF and a text log are accepted and served as attachments (downloads), never inline', async () => {
		const pdf = await upload(w.as.agentIn, w.chatA, { name: 'invoice.pdf', bytes: PDF });
		expect(pdf.status, pdf.raw).toBe(201);
		expect(pdf.body.attachment.type).toBe('application/pdf');
		const log = await upload(w.as.customerA, w.chatA, { name: 'app.log', bytes: '2024-01-01 ERROR something <failed>\n\tat line 3\n' });
		expect(log.status, log.raw).toBe(201);
		expect(log.body.attachment.type).toBe('text/plain; charset=utf-8');
		const res = await download(w.as.customerA, w.chatA, pdf.body.attachment.id);
		expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
		expect(res.headers.get('content-type')).toBe('application/pdf');
	});

	it('[B9] only agents in the chat upload agents-only files, and the customer never gets them (404)', async () => {
		expect((await upload(w.as.customerA, w.chatA, { name: 'x.png', bytes: PNG }, { agentsOnly: 'true' })).status).toBe(403);
		const res = await upload(w.as.agentIn, w.chatA, { name: 'note.png', bytes: PNG }, { agentsOnly: 'true' });
		expect(res.status, res.raw).toBe(201);
		expect((await download(w.as.customerA, w.chatA, res.body.attachment.id)).status).toBe(404);
		expect((await download(w.as.agentIn, w.chatA, res.body.attachment.id)).status).toBe(200);
		expect((await download(w.as.auditor, w.chatA, res.body.attachment.id)).status).toBe(200);
	});

	it('[B9] uploads are refused to whoever may not write the chat, before the body is read', async () => {
		const got: Record<string, number> = {};
		for (const role of ['anonymous', 'customerB', 'agentOut', 'agentLeft', 'admin', 'auditor'] as const)
			got[role] = (await upload(w.as[role], w.chatA, { name: 'x.png', bytes: PNG })).status;
		expect(got).toEqual({ anonymous: 401, customerB: 403, agentOut: 403, agentLeft: 403, admin: 403, auditor: 403 });
	});
});

describe('[B9] types are read from the content (415)', () => {
	const refused = [
		{ what: 'HTML named .png', name: 'cat.png', bytes: '<!doctype html><html><body><script>alert(1)</script></body></html>' },
		{ what: 'an SVG with a script', name: 'logo.svg', bytes: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>' },
		{ what: 'an SVG behind an XML declaration', name: 'logo.png', bytes: '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>' },
		{ what: 'a polyglot: a real PNG with a page after it', name: 'poly.png', bytes: Buffer.concat([PNG, Buffer.from('<html><script>alert(1)</script></html>')]) },
		{ what: 'a zip (archives are not accepted)', name: 'logs.txt', bytes: Buffer.from('504b0304140000000800', 'hex') },
		{ what: 'binary that is not text', name: 'data.txt', bytes: Buffer.from([0, 1, 2, 3, 255, 254, 0, 7]) }
	];
	for (const f of refused)
		it(`[B9] ${f.what}: 415, nothing kept`, async () => {
			const rows = await attachmentRows();
			const files = blobFiles().length;
			const res = await upload(w.as.customerA, w.chatA, { name: f.name, bytes: f.bytes, type: 'image/png' });
			expect(res.status, res.raw).toBe(415);
			expect(res.body.error.code).toBe('UNSUPPORTED_TYPE');
			expect(await attachmentRows()).toBe(rows);
			expect(blobFiles().length).toBe(files);
		});
});

describe('[B9] the size limit (413), never buffered', () => {
	it('[B9] a huge declared size is refused at once, before any of the body is read', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const { contentType } = multipart({ name: 'x.png', bytes: '' });
			const req = request(`${server.url}/api/chats/${w.chatA}/attachments`, {
				method: 'POST',
				headers: { 'content-type': contentType, 'content-length': String(50 * MB), ...cookieHeader(w.as.customerA) }
			});
			req.on('response', (res) => resolve(res.statusCode!));
			req.on('error', reject);
			req.flushHeaders(); // headers only: not one byte of the body is sent
		});
		expect(status).toBe(413);
	});

	it('[B9] a 50 MB streamed body is answered 413 long before it ends, and nothing of it is kept', async () => {
		const rows = await attachmentRows();
		const { body } = multipart({ name: 'big.png', bytes: '' });
		const head = body.subarray(0, body.indexOf('\r\n\r\n') + 4);
		let sent = 0;
		const rssBefore = process.memoryUsage().rss;
		const answer = await new Promise<{ status: number; sentWhenAnswered: number; raw: string }>((resolve, reject) => {
			const req = request(`${server.url}/api/chats/${w.chatA}/attachments`, {
				method: 'POST',
				headers: { 'content-type': multipart({ name: 'x', bytes: '' }).contentType.replace(/boundary=.*/, `boundary=${head.toString().slice(2, head.indexOf('\r\n'))}`), 'transfer-encoding': 'chunked', ...cookieHeader(w.as.customerA) }
			});
			req.on('response', (res) => {
				const sentWhenAnswered = sent;
				let raw = '';
				res.on('data', (d) => (raw += d));
				res.on('end', () => resolve({ status: res.statusCode!, sentWhenAnswered, raw }));
			});
			req.on('error', () => {}); // the server closes the connection once it answered
			req.write(Buffer.concat([head, PNG]));
			const chunk = Buffer.alloc(256 * 1024, 1);
			const pump = () => {
				while (sent < 50 * MB) {
					sent += chunk.length;
					if (!req.write(chunk)) return void req.once('drain', pump);
				}
				req.end();
			};
			pump();
			setTimeout(() => reject(new Error('no answer')), 20_000).unref();
		});
		expect(answer.status, answer.raw).toBe(413);
		expect(JSON.parse(answer.raw).error.code).toBe('TOO_LARGE');
		expect(answer.sentWhenAnswered).toBeLessThan(40 * MB);
		expect(process.memoryUsage().rss - rssBefore).toBeLessThan(40 * MB);
		expect(await attachmentRows()).toBe(rows);
		expect(tempFiles()).toEqual([]);
	});
});

describe('[B9] the write policy on references (4400)', () => {
	it('[B9] a message may carry the writer\'s own upload to this chat', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: 'mine.png', bytes: PNG });
		expect(await sendWithFiles(`chat/${w.chatA}`, w.token('customerA'), w.author('customerA'), [body.attachment.id])).toBe('accepted');
	});

	it("[B9] another writer's upload, another chat's, an agents-only one or an unknown id is refused 4400", async () => {
		const agents = await upload(w.as.agentIn, w.chatA, { name: 'agent.png', bytes: PNG });
		const other = await upload(w.as.customerB, w.chatB, { name: 'b.png', bytes: PNG });
		const whisper = await upload(w.as.agentIn, w.chatA, { name: 'w.png', bytes: PNG }, { agentsOnly: 'true' });
		const doc = `chat/${w.chatA}`;
		expect(await sendWithFiles(doc, w.token('customerA'), w.author('customerA'), [agents.body.attachment.id])).toBe(4400);
		expect(await sendWithFiles(doc, w.token('customerA'), w.author('customerA'), [other.body.attachment.id])).toBe(4400);
		expect(await sendWithFiles(doc, w.token('agentIn'), w.author('agentIn'), [whisper.body.attachment.id])).toBe(4400);
		expect(await sendWithFiles(doc, w.token('customerA'), w.author('customerA'), ['no-such-upload'])).toBe(4400);
		// The agent's own (not agents-only) upload is fine in the chat.
		expect(await sendWithFiles(doc, w.token('agentIn'), w.author('agentIn'), [agents.body.attachment.id])).toBe('accepted');
	});

	it('[B9] an upload the server forgot (a restart, another instance) is found in the table', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: 'later.png', bytes: PNG });
		server.app.uploads.remove(w.chatA, body.attachment.id);
		expect(await sendWithFiles(`chat/${w.chatA}`, w.token('customerA'), w.author('customerA'), [body.attachment.id])).toBe('accepted');
	});
});

describe('[B9] clean-up', () => {
	it('[B9] unreferenced uploads older than the limit are deleted; referenced ones and newer ones stay; orphan files go', async () => {
		const kept = await upload(w.as.customerA, w.chatA, { name: 'kept.png', bytes: PNG });
		const dropped = await upload(w.as.customerA, w.chatA, { name: 'dropped.png', bytes: PNG });
		expect(await sendWithFiles(`chat/${w.chatA}`, w.token('customerA'), w.author('customerA'), [kept.body.attachment.id])).toBe('accepted');
		await server.app.blobs.put('orphan', Readable.from([Buffer.from('left by a crash')]));
		const ctx = contextFor(server.app, null);
		// Not old enough yet: nothing goes.
		expect((await sweepAttachments({ ctx })).deleted).toBe(0);
		offset = server.app.config.attachments.unreferencedMs + 60_000;
		try {
			const result = await sweepAttachments({ ctx });
			expect(result.deleted).toBeGreaterThanOrEqual(1);
			expect(result.orphans).toBe(1);
		} finally {
			offset = 0;
		}
		expect((await download(w.as.customerA, w.chatA, dropped.body.attachment.id)).status).toBe(404);
		expect((await download(w.as.customerA, w.chatA, kept.body.attachment.id)).status).toBe(200);
		const row = await server.row(sql`SELECT referenced_at FROM attachments WHERE id = ${kept.body.attachment.id}`);
		expect(Number(row.referenced_at)).toBeGreaterThan(0);
		expect(blobFiles()).not.toContain('orphan');
		expect(blobFiles()).not.toContain(dropped.body.attachment.id);
		// An image's thumbnail goes with it, and stays with a kept one (it is not an orphan).
		expect(blobFiles()).not.toContain(`${dropped.body.attachment.id}-thumb`);
		expect(blobFiles()).toContain(`${kept.body.attachment.id}-thumb`);
	});
});

describe('[B9] audit', () => {
	it('[A3][B9] the audit export lists the chat\'s files with their SHA-256', async () => {
		const { body } = await upload(w.as.customerA, w.chatA, { name: 'receipt.pdf', bytes: PDF });
		const res = await w.as.auditor.call('GET', `/api/audit/chats/${w.chatA}/export`);
		expect(res.status).toBe(200);
		const listed = res.body.attachments.find((a: { id: string }) => a.id === body.attachment.id);
		expect(listed).toMatchObject({ name: 'receipt.pdf', type: 'application/pdf', sha256: createHash('sha256').update(PDF).digest('hex') });
	});
});
