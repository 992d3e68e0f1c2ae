import { and, eq } from 'drizzle-orm';
import type { UploadRef } from '../../../src/lib/core/attachments';
import type { Facts } from '../../storage/facts';

/** B9: a chat's uploads as the write policy needs them (KnownUploads reads them on a miss). */
export async function uploadsOfChat(store: Facts, chatId: string): Promise<UploadRef[]> {
	const { db, t } = store;
	return db
		.select({ id: t.attachments.id, chatId: t.attachments.chatId, uploadedBy: t.attachments.uploadedBy, agentsOnly: t.attachments.agentsOnly })
		.from(t.attachments)
		.where(eq(t.attachments.chatId, chatId));
}

/** One upload of one chat (an id of another chat is not found). */
export async function attachmentOfChat(store: Facts, chatId: string, id: string) {
	const { db, t } = store;
	return (await db.select().from(t.attachments).where(and(eq(t.attachments.chatId, chatId), eq(t.attachments.id, id))).limit(1))[0];
}

/** What an answer and the audit say of an upload. */
export const describeAttachment = (row: { id: string; name: string; type: string; size: number; sha256: string }) => ({
	id: row.id,
	name: row.name,
	type: row.type,
	size: row.size,
	sha256: row.sha256
});
