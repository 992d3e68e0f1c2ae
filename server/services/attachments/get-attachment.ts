import { DomainError, type Call } from '../context';
import { requireReader } from './attachment-access';
import { attachmentOfChat } from './attachment-rows';

/** B9: GET /api/chats/:id/attachments/:attachmentId — the stored file and what it is. */
export async function getAttachment({ ctx, input }: Call<{ chatId: string; attachmentId: string }>) {
	const { chatId, attachmentId } = input;
	const may = await requireReader(ctx, chatId);
	const row = await attachmentOfChat(ctx.store, chatId, attachmentId);
	// An agents-only file does not exist for the customer (never a hint that it does).
	if (!row || (row.agentsOnly && !may.agentsOnly)) throw new DomainError('NOT_FOUND', 'no such attachment');
	const blob = /^[A-Za-z0-9_-]{1,128}$/.test(row.id) ? await ctx.blobs.open(row.id) : null;
	if (!blob) throw new DomainError('NOT_FOUND', 'no such attachment');
	return { attachment: row, size: blob.size, stream: blob.stream };
}
