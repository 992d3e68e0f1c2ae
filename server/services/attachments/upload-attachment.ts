import type { Readable } from 'node:stream';
import { cleanFileName, isInlineType } from '../../../src/lib/core/attachments';
import { DomainError, type Call } from '../context';
import { actorOf } from '../identity/doc-access';
import { requireUploader } from './attachment-access';
import { describeAttachment } from './attachment-rows';
import { ContentCheck, TooLarge } from './content-check';
import { storeThumbnail } from './store-thumbnail';
import { thumbKey, UnreadableImage } from './thumbnail';
import { recordAudit } from '../audit';

export interface UploadInput {
	chatId: string;
	/** For whispers: only agents in the chat may upload, download or refer to it. */
	agentsOnly: boolean;
	/** The file name the client gave (cleaned; never used to decide the type). */
	name: string;
	/** The file's bytes, streamed from the request (read no further than the limit). */
	content: Readable;
}

/**
 * B9: POST /api/chats/:id/attachments — stores one file for a later message to refer to. The
 * size limit stops the stream (413), the type is read from the content (415); nothing of a
 * refused file is kept.
 */
export async function uploadAttachment({ ctx, input }: Call<UploadInput>) {
	const { chatId, agentsOnly } = input;
	const identity = await requireUploader(ctx, chatId, agentsOnly);
	const { maxBytes } = ctx.config.attachments;
	const id = ctx.ids();
	const check = new ContentCheck(maxBytes);
	input.content.on('error', (err) => check.destroy(err));
	let stored;
	try {
		stored = await ctx.blobs.put(id, input.content.pipe(check));
	} catch (err) {
		if (err instanceof TooLarge) throw new DomainError('TOO_LARGE', `file: larger than ${maxBytes} bytes`);
		throw err;
	}
	const verdict = await check.verdict();
	if (!verdict.ok || stored.size === 0) {
		await ctx.blobs.delete(id);
		if (stored.size === 0) throw new DomainError('BAD_INPUT', 'file: empty');
		throw new DomainError('UNSUPPORTED_TYPE', `file: ${!verdict.ok ? verdict.message : ''}; accepted are PNG, JPEG, GIF, WebP, PDF and plain text`);
	}
	// An image gets its thumbnail now: one that cannot be made (damaged, a decompression bomb) is refused.
	if (isInlineType(verdict.type)) {
		try {
			await storeThumbnail(ctx, id);
		} catch (err) {
			await ctx.blobs.delete(id);
			if (!(err instanceof UnreadableImage)) throw err;
			throw new DomainError(err.tooLarge ? 'TOO_LARGE' : 'UNSUPPORTED_TYPE', `file: ${err.message}`);
		}
	}
	const row = {
		id,
		chatId,
		uploadedBy: actorOf(identity),
		agentsOnly,
		name: cleanFileName(input.name),
		type: verdict.type,
		size: stored.size,
		sha256: stored.sha256,
		createdAt: ctx.clock(),
		referencedAt: null
	};
	try {
		await ctx.decide(async (ctx) => {
			const { db, t } = ctx.store;
			await db.insert(t.attachments).values(row);
			// B9, A1: who uploaded what to which chat, with the hash of its bytes.
			const { name, type, size, sha256 } = row;
			await recordAudit(ctx.store, { chatId, actor: row.uploadedBy, kind: 'attachment.uploaded', data: { attachmentId: id, name, type, size, sha256, agentsOnly }, at: row.createdAt });
		});
	} catch (err) {
		await ctx.blobs.delete(id);
		await ctx.blobs.delete(thumbKey(id));
		throw err;
	}
	ctx.uploads.add({ id, chatId, uploadedBy: row.uploadedBy, agentsOnly });
	return { attachment: describeAttachment(row) };
}
