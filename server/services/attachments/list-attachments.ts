import { asc, eq } from 'drizzle-orm';
import type { Call } from '../context';
import { requireReader } from './attachment-access';

/**
 * B9: GET /api/chats/:id/attachments — what each file of the chat is (for the clients to show
 * the files messages carry: a thumbnail or a card with name, type and size). The agents-only
 * ones only to those who may see them.
 */
export async function listAttachments({ ctx, input }: Call<{ chatId: string }>) {
	const may = await requireReader(ctx, input.chatId);
	const { db, t } = ctx.store;
	const rows = await db
		.select({ id: t.attachments.id, name: t.attachments.name, type: t.attachments.type, size: t.attachments.size, agentsOnly: t.attachments.agentsOnly })
		.from(t.attachments)
		.where(eq(t.attachments.chatId, input.chatId))
		.orderBy(asc(t.attachments.createdAt), asc(t.attachments.id));
	return {
		attachments: rows
			.filter((r) => may.agentsOnly || !r.agentsOnly)
			.map((r) => ({ id: r.id, name: r.name, type: r.type, size: Number(r.size), agentsOnly: Boolean(r.agentsOnly) }))
	};
}
