import { isInlineType } from '../../../src/lib/core/attachments';
import { DomainError, type Call } from '../context';
import { requireReader } from './attachment-access';
import { attachmentOfChat } from './attachment-rows';
import { storeThumbnail } from './store-thumbnail';
import { THUMB_TYPE, thumbKey, thumbStream, UnreadableImage } from './thumbnail';

/**
 * B9: GET /api/chats/:id/attachments/:attachmentId[?thumb=1] — the stored file and what it is,
 * or the thumbnail of an image (WebP; there is none of other files).
 */
export async function getAttachment({ ctx, input }: Call<{ chatId: string; attachmentId: string; thumb?: string }>) {
	const { chatId, attachmentId } = input;
	const may = await requireReader(ctx, chatId);
	if (input.thumb !== undefined && input.thumb !== '1') throw new DomainError('BAD_INPUT', 'thumb: 1 or absent');
	const row = await attachmentOfChat(ctx.store, chatId, attachmentId);
	// An agents-only file does not exist for the customer (never a hint that it does).
	if (!row || (row.agentsOnly && !may.agentsOnly)) throw new DomainError('NOT_FOUND', 'no such attachment');
	if (!/^[A-Za-z0-9_-]{1,128}$/.test(row.id)) throw new DomainError('NOT_FOUND', 'no such attachment');
	if (input.thumb === '1') return { attachment: { ...row, type: THUMB_TYPE }, ...(await thumbnailOf(ctx, row)) };
	const blob = await ctx.blobs.open(row.id);
	if (!blob) throw new DomainError('NOT_FOUND', 'no such attachment');
	return { attachment: row, size: blob.size, stream: blob.stream };
}

async function thumbnailOf(ctx: Call['ctx'], row: { id: string; type: string }) {
	if (!isInlineType(row.type)) throw new DomainError('NOT_FOUND', 'no thumbnail: the file is not an image');
	const stored = await ctx.blobs.open(thumbKey(row.id));
	if (stored) return stored;
	// Uploaded before thumbnails were made at the upload (or its thumbnail was lost): make it once now.
	try {
		const made = await storeThumbnail(ctx, row.id);
		if (!made) throw new DomainError('NOT_FOUND', 'no such attachment');
		return { size: made.size, stream: thumbStream(made.bytes) };
	} catch (err) {
		if (err instanceof UnreadableImage) throw new DomainError('NOT_FOUND', `no thumbnail: ${err.message}`);
		throw err;
	}
}
