import type { Context, Hono } from 'hono';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import busboy from 'busboy';
import { isInlineType } from '../../src/lib/core/attachments';
import { contextFor, DomainError, type AppServices, type Identity } from '../services/context';
import { requireSomeUpload } from '../services/attachments/attachment-access';
import { uploadAttachment } from '../services/attachments/upload-attachment';
import { getAttachment } from '../services/attachments/get-attachment';
import { listAttachments } from '../services/attachments/list-attachments';

/** What the multipart framing, the headers of the part and the fields may add to the file itself. */
const FRAMING_BYTES = 16 * 1024;

/** The upload route reads its own (multipart, streamed) body: the API's 64 KiB limit is not for it. */
export const isUploadRequest = (method: string, path: string) => method === 'POST' && /^\/api\/chats\/[^/]+\/attachments$/.test(path);

type Who = (c: Context, chatId?: string) => Promise<Identity | null>;

/** B9 (README "Attachments"): upload a file to a chat, and download it. */
export function registerAttachmentRoutes(api: Hono<any>, app: AppServices, who: Who) {
	api.post('/api/chats/:id/attachments', async (c) => {
		const chatId = c.req.param('id') as string;
		const { maxBytes } = app.config.attachments;
		// A body declared too large is refused before a byte of it is read; the connection is not kept.
		const declared = Number(c.req.header('content-length') ?? NaN);
		if (declared > maxBytes + FRAMING_BYTES) {
			c.header('Connection', 'close');
			throw new DomainError('TOO_LARGE', `file: larger than ${maxBytes} bytes`);
		}
		const ctx = contextFor(app, await who(c, chatId));
		await requireSomeUpload(ctx, chatId); // who may not upload at all is refused before the body is read
		const type = c.req.header('content-type') ?? '';
		const body = c.req.raw.body;
		if (!/^multipart\/form-data;/i.test(type) || !body) throw new DomainError('BAD_INPUT', 'body: multipart/form-data with one part named "file"');
		const source = Readable.fromWeb(body as WebReadableStream<Uint8Array>);
		try {
			const part = await firstFile(source, type);
			return c.json(await uploadAttachment({ ctx, input: { chatId, agentsOnly: part.agentsOnly, name: part.name, content: part.content } }), 201);
		} catch (err) {
			// Read no further (a refused upload is not drained into the server): answer, and close.
			source.unpipe();
			source.pause();
			c.header('Connection', 'close');
			throw err;
		}
	});

	api.get('/api/chats/:id/attachments', async (c) => {
		const chatId = c.req.param('id') as string;
		return c.json(await listAttachments({ ctx: contextFor(app, await who(c, chatId)), input: { chatId } }));
	});

	api.get('/api/chats/:id/attachments/:attachmentId', async (c) => {
		const input = { chatId: c.req.param('id') as string, attachmentId: c.req.param('attachmentId') as string, thumb: c.req.query('thumb') };
		const { attachment, size, stream } = await getAttachment({ ctx: contextFor(app, await who(c, input.chatId)), input });
		const inline = isInlineType(attachment.type);
		return new Response(Readable.toWeb(stream) as ReadableStream, {
			status: 200,
			headers: {
				'Content-Type': attachment.type,
				'Content-Length': String(size),
				'Content-Disposition': contentDisposition(inline ? 'inline' : 'attachment', input.thumb === '1' ? thumbName(attachment.name) : attachment.name),
				'X-Content-Type-Options': 'nosniff',
				'Content-Security-Policy': "sandbox; default-src 'none'; frame-ancestors 'none'",
				'Cross-Origin-Resource-Policy': 'same-origin',
				'Cache-Control': 'private, no-cache'
			}
		});
	});
}

/**
 * The form's fields up to its one file part, and that part as a stream (busboy: never the whole
 * body in memory). Fields must come before the file; only `agentsOnly` (`true`/`false`) is read.
 */
function firstFile(source: Readable, contentType: string): Promise<{ agentsOnly: boolean; name: string; content: Readable }> {
	return new Promise((resolve, reject) => {
		let parser: busboy.Busboy;
		try {
			parser = busboy({ headers: { 'content-type': contentType }, defParamCharset: 'utf8', limits: { files: 1, fields: 4, fieldSize: 64, parts: 5, headerPairs: 8 } });
		} catch {
			return reject(new DomainError('BAD_INPUT', 'body: multipart/form-data with a boundary'));
		}
		let agentsOnly = false;
		let found = false;
		parser.on('field', (name, value) => {
			if (name !== 'agentsOnly') return;
			if (value !== 'true' && value !== 'false') reject(new DomainError('BAD_INPUT', 'agentsOnly: true or false'));
			agentsOnly = value === 'true';
		});
		parser.on('file', (field, stream, info) => {
			if (field !== 'file' || found) return stream.resume();
			found = true;
			resolve({ agentsOnly, name: info.filename ?? 'file', content: stream });
		});
		parser.on('error', () => reject(new DomainError('BAD_INPUT', 'body: malformed multipart/form-data')));
		parser.on('close', () => {
			if (!found) reject(new DomainError('BAD_INPUT', 'file: missing (a part named "file", after the fields)'));
		});
		source.on('error', (err) => reject(err));
		source.pipe(parser);
	});
}

/** What a saved thumbnail is called: the image's name with `.webp` for its extension. */
const thumbName = (name: string) => `${name.replace(/\.[^.]*$/, '')}.thumb.webp`;

/** `inline` or `attachment` with the name as RFC 6266 wants it: an ASCII fallback and the UTF-8 name. */
function contentDisposition(kind: 'inline' | 'attachment', name: string) {
	const ascii = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
