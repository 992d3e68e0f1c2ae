import { and, eq, isNull } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { requireAgentInChat } from '../chats/chat-context';
import { DomainError, type Call } from '../context';
import { requireOwner } from './record-owner';
import { touchWorkspaces } from './workspace-signal';

/** C12: the owner removes an attached record; other agents keep theirs (C13). */
export async function removeRecord({ ctx, input }: Call<{ chatId: string; recordId: string }>) {
	const { chatId, recordId } = input;
	return ctx.decide(async (ctx) => {
		const agent = await requireAgentInChat(ctx, ctx.actor, chatId);
		const now = ctx.clock();
		const { db, t } = ctx.store;
		const cr = t.chatRecords;
		await requireOwner(ctx.store, chatId, agent.id);
		const done = await db
			.update(cr)
			.set({ removedAt: now, removedBy: agent.id })
			.where(and(eq(cr.chatId, chatId), eq(cr.recordId, recordId), isNull(cr.removedAt)))
			.returning({ id: cr.id });
		if (done.length === 0) throw new DomainError('NOT_FOUND', 'this record is not attached to the chat');
		await recordAudit(ctx.store, { chatId, actor: agent.id, kind: 'record.removed', data: { recordId }, at: now });
		await touchWorkspaces(ctx, chatId);
		return { ok: true };
	});
}
