import { and, eq, isNull } from 'drizzle-orm';
import { chatRecords } from '../../db/schema';
import { recordAudit } from '../audit';
import { requireAgentInChat } from '../chats/chat-context';
import { DomainError, type Ctx, type Identity } from '../context';
import { requireOwner } from './record-owner';
import { touchWorkspaces } from './workspace-signal';

/** C12: the owner removes an attached record; other agents keep theirs (C13). */
export function removeRecord(ctx: Ctx, identity: Identity | null, chatId: string, recordId: string) {
	const agent = requireAgentInChat(ctx, identity, chatId);
	const now = ctx.now();
	ctx.db.transaction((tx) => {
		requireOwner(tx, chatId, agent.id);
		const where = and(eq(chatRecords.chatId, chatId), eq(chatRecords.recordId, recordId), isNull(chatRecords.removedAt));
		const done = tx.update(chatRecords).set({ removedAt: now, removedBy: agent.id }).where(where).run();
		if (done.changes === 0) throw new DomainError('NOT_FOUND', 'this record is not attached to the chat');
		recordAudit(tx, { chatId, actor: agent.id, kind: 'record.removed', data: { recordId }, at: now });
	});
	touchWorkspaces(ctx, chatId);
	return { ok: true };
}
