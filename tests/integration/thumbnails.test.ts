import { sql } from 'drizzle-orm';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { damagedPng, hugePng, phonePhoto, screenshotPng } from '../helpers/images';
import { cookieHeader, PDF, PNG, upload } from '../helpers/upload';
import { buildWorld, type World } from '../security/world';
import type { ApiClient } from '../helpers/api';

// Issue 17 (B9): image thumbnails made on the server — upright, small, metadata stripped, made
// once; hostile images (decompression bombs, damaged files) refused at the upload.

let server: TestServer;
let w: World;

beforeAll(async () => {
	server = await startTestServer();
	w = await buildWorld(server);
});
afterAll(async () => {
	await server?.stop();
});

const blobFiles = () => (existsSync(join(server.dataDir, 'blobs')) ? readdirSync(join(server.dataDir, 'blobs')).filter((n) => n !== 'tmp') : []);
const attachmentRows = async () => Number((await server.row(sql`SELECT count(*) AS n FROM attachments`)).n);

async function thumb(client: ApiClient, chatId: string, id: string, query = 'thumb=1') {
	const res = await fetch(`${client.base}/api/chats/${chatId}/attachments/${id}?${query}`, { headers: cookieHeader(client) });
	return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('[B9] thumbnails', () => {
	it('[B9] a phone photo gets a WebP thumbnail at most 320 px, turned upright, without EXIF or GPS', async () => {
		const photo = await phonePhoto(800, 400);
		expect((await sharp(photo).metadata()).exif).toBeDefined(); // the original carries them
		const res = await upload(w.as.customerA, w.chatA, { name: 'IMG_0001.jpg', bytes: photo });
		expect(res.status, res.raw).toBe(201);
		const got = await thumb(w.as.agentIn, w.chatA, res.body.attachment.id);
		expect(got.status).toBe(200);
		expect(got.headers.get('content-type')).toBe('image/webp');
		expect(got.headers.get('content-disposition')).toMatch(/^inline; filename="IMG_0001.thumb.webp"/);
		expect(got.headers.get('x-content-type-options')).toBe('nosniff');
		expect(got.headers.get('content-security-policy')).toMatch(/^sandbox;/);
		const meta = await sharp(got.bytes).metadata();
		expect(meta.format).toBe('webp');
		expect([meta.width, meta.height]).toEqual([160, 320]); // 800 × 400 turned by its orientation 6
		expect(meta.exif).toBeUndefined();
		expect(meta.xmp).toBeUndefined();
		expect(meta.icc).toBeUndefined();
		expect(got.bytes.includes('Pat Customer')).toBe(false);
	});

	it('[B9] a small image keeps its size; a large screenshot fits in 320 × 320', async () => {
		const tiny = await upload(w.as.customerA, w.chatA, { name: 'dot.png', bytes: PNG });
		const tinyMeta = await sharp((await thumb(w.as.customerA, w.chatA, tiny.body.attachment.id)).bytes).metadata();
		expect([tinyMeta.width, tinyMeta.height]).toEqual([1, 1]);
		const big = await upload(w.as.customerA, w.chatA, { name: 'screen.png', bytes: await screenshotPng(1200, 800) });
		const bigMeta = await sharp((await thumb(w.as.customerA, w.chatA, big.body.attachment.id)).bytes).metadata();
		expect([bigMeta.width, bigMeta.height]).toEqual([320, 213]);
	});

	it('[B9] GIF and WebP images get thumbnails too', async () => {
		for (const [name, bytes] of [
			['anim.gif', await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3a3' } }).gif().toBuffer()],
			['photo.webp', await sharp({ create: { width: 480, height: 640, channels: 3, background: '#33a' } }).webp().toBuffer()]
		] as const) {
			const res = await upload(w.as.customerA, w.chatA, { name, bytes });
			expect(res.status, res.raw).toBe(201);
			const meta = await sharp((await thumb(w.as.customerA, w.chatA, res.body.attachment.id)).bytes).metadata();
			expect([meta.format, Math.max(meta.width!, meta.height!)]).toEqual(['webp', 320]);
		}
	});

	it('[B9] made once, at the upload, and stored beside the file', async () => {
		const res = await upload(w.as.customerA, w.chatA, { name: 'once.png', bytes: PNG });
		const id = res.body.attachment.id;
		expect(blobFiles()).toEqual(expect.arrayContaining([id, `${id}-thumb`]));
		const first = await thumb(w.as.customerA, w.chatA, id);
		const second = await thumb(w.as.customerA, w.chatA, id);
		expect(second.bytes.equals(first.bytes)).toBe(true);
	});

	it('[B9] an image stored without a thumbnail (uploaded before them) gets one on the first request', async () => {
		const res = await upload(w.as.customerA, w.chatA, { name: 'old.png', bytes: PNG });
		const id = res.body.attachment.id;
		await server.app.blobs.delete(`${id}-thumb`);
		expect((await thumb(w.as.customerA, w.chatA, id)).status).toBe(200);
		expect(blobFiles()).toContain(`${id}-thumb`);
	});

	it('[B9] a PDF or a text file has no thumbnail (404), and `thumb` other than 1 is 400', async () => {
		const pdf = await upload(w.as.customerA, w.chatA, { name: 'r.pdf', bytes: PDF });
		const got = await thumb(w.as.customerA, w.chatA, pdf.body.attachment.id);
		expect(got.status).toBe(404);
		expect(JSON.parse(got.bytes.toString()).error.code).toBe('NOT_FOUND');
		expect(blobFiles()).not.toContain(`${pdf.body.attachment.id}-thumb`);
		expect((await thumb(w.as.customerA, w.chatA, pdf.body.attachment.id, 'thumb=yes')).status).toBe(400);
		// Who may not read the chat learns nothing, not even that the query is wrong.
		expect((await thumb(w.as.anonymous, w.chatA, pdf.body.attachment.id, 'thumb=yes')).status).toBe(401);
		expect((await thumb(w.as.customerB, w.chatA, pdf.body.attachment.id, 'thumb=yes')).status).toBe(403);
	});

	it("[B9] a thumbnail is served to exactly those the file is: an agents-only image's does not exist for the customer", async () => {
		const res = await upload(w.as.agentIn, w.chatA, { name: 'w.png', bytes: PNG }, { agentsOnly: 'true' });
		const id = res.body.attachment.id;
		expect((await thumb(w.as.agentIn, w.chatA, id)).status).toBe(200);
		expect((await thumb(w.as.auditor, w.chatA, id)).status).toBe(200);
		expect((await thumb(w.as.customerA, w.chatA, id)).status).toBe(404);
		expect((await thumb(w.as.customerB, w.chatA, id)).status).toBe(403);
		expect((await thumb(w.as.agentOut, w.chatA, id)).status).toBe(403);
		expect((await thumb(w.as.anonymous, w.chatA, id)).status).toBe(401);
		// Another chat's id through this chat is not found.
		const other = await upload(w.as.customerB, w.chatB, { name: 'b.png', bytes: PNG });
		expect((await thumb(w.as.customerA, w.chatA, other.body.attachment.id)).status).toBe(404);
	});
});

describe('[B9] hostile images are refused at the upload, nothing kept', () => {
	it('[B9] a decompression bomb (a 300-byte PNG declaring 100,000 × 100,000 pixels): 413, at once', async () => {
		const rows = await attachmentRows();
		const files = blobFiles().length;
		const bomb = hugePng(100_000, 100_000);
		expect(bomb.length).toBeLessThan(400);
		const rssBefore = process.memoryUsage().rss;
		const res = await upload(w.as.customerA, w.chatA, { name: 'bomb.png', bytes: bomb });
		expect(res.status, res.raw).toBe(413);
		expect(res.body.error).toMatchObject({ code: 'TOO_LARGE', message: expect.stringMatching(/more than 50000000 pixels/) });
		expect(process.memoryUsage().rss - rssBefore).toBeLessThan(200 * 1024 * 1024);
		expect(await attachmentRows()).toBe(rows);
		expect(blobFiles().length).toBe(files);
	});

	it('[B9] a damaged image (a PNG header, then garbage): 415 saying it cannot be read', async () => {
		const rows = await attachmentRows();
		const files = blobFiles().length;
		const res = await upload(w.as.customerA, w.chatA, { name: 'broken.png', bytes: damagedPng() });
		expect(res.status, res.raw).toBe(415);
		expect(res.body.error).toMatchObject({ code: 'UNSUPPORTED_TYPE', message: expect.stringMatching(/cannot be read/) });
		expect(await attachmentRows()).toBe(rows);
		expect(blobFiles().length).toBe(files);
	});

	it('[B9] after hostile images the server still makes thumbnails', async () => {
		const res = await upload(w.as.customerA, w.chatA, { name: 'fine.png', bytes: PNG });
		expect(res.status).toBe(201);
		expect((await thumb(w.as.customerA, w.chatA, res.body.attachment.id)).status).toBe(200);
	});
});

describe('[B9] the audit lists each upload', () => {
	it('[B9][A1] an audit event per upload: who, chat, name, type, size, SHA-256 (agents-only said)', async () => {
		const res = await upload(w.as.agentIn, w.chatA, { name: 'internal.pdf', bytes: PDF }, { agentsOnly: 'true' });
		const row = await server.row(sql`SELECT * FROM audit_events WHERE kind = 'attachment.uploaded' AND chat_id = ${w.chatA} ORDER BY id DESC LIMIT 1`);
		const data = typeof row.data === 'string' ? JSON.parse(row.data) : row.data;
		expect(data).toEqual({ attachmentId: res.body.attachment.id, name: 'internal.pdf', type: 'application/pdf', size: PDF.length, sha256: res.body.attachment.sha256, agentsOnly: true });
		expect(row.actor).toBe(w.author('agentIn').id);
		const timeline = await w.as.auditor.call('GET', `/api/audit/chats/${w.chatA}/timeline`);
		const entry = timeline.body.timeline.find((e: { kind: string; summary: string }) => e.kind === 'attachment.uploaded' && e.summary.includes('internal.pdf'));
		expect(entry.summary).toMatch(/uploaded “internal.pdf” \(application\/pdf, \d+ bytes, SHA-256 [0-9a-f]{64}\) for agents only$/);
	});

	it('[B9] a refused upload leaves no audit event', async () => {
		const before = Number((await server.row(sql`SELECT count(*) AS n FROM audit_events WHERE kind = 'attachment.uploaded'`)).n);
		expect((await upload(w.as.customerA, w.chatA, { name: 'x.png', bytes: damagedPng() })).status).toBe(415);
		expect((await upload(w.as.customerA, w.chatA, { name: 'x.svg', bytes: '<svg/>' })).status).toBe(415);
		expect(Number((await server.row(sql`SELECT count(*) AS n FROM audit_events WHERE kind = 'attachment.uploaded'`)).n)).toBe(before);
	});
});

describe('[B9] the list of a chat\'s files', () => {
	it('[B9] GET /api/chats/:id/attachments: id, name, type, size, agentsOnly — agents-only ones not for the customer', async () => {
		const mine = await upload(w.as.customerA, w.chatA, { name: 'listed.pdf', bytes: PDF });
		const hidden = await upload(w.as.agentIn, w.chatA, { name: 'hidden.png', bytes: PNG }, { agentsOnly: 'true' });
		const forCustomer = await w.as.customerA.call('GET', `/api/chats/${w.chatA}/attachments`);
		expect(forCustomer.status).toBe(200);
		expect(forCustomer.body.attachments).toContainEqual({ id: mine.body.attachment.id, name: 'listed.pdf', type: 'application/pdf', size: PDF.length, agentsOnly: false });
		expect(forCustomer.body.attachments.map((a: { id: string }) => a.id)).not.toContain(hidden.body.attachment.id);
		expect(JSON.stringify(forCustomer.body)).not.toContain('hidden.png');
		const forAgent = await w.as.agentIn.call('GET', `/api/chats/${w.chatA}/attachments`);
		expect(forAgent.body.attachments).toContainEqual({ id: hidden.body.attachment.id, name: 'hidden.png', type: 'image/png', size: PNG.length, agentsOnly: true });
		expect((await w.as.customerB.call('GET', `/api/chats/${w.chatA}/attachments`)).status).toBe(403);
	});
});
