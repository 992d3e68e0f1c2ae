import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { canSeeRecord } from '../../../src/lib/core/context/visibility';
import { chatRecords, records } from '../../db/schema';
import { recordAudit } from '../audit';
import { requireAgentInChat, viewerOf } from '../chats/chat-context';
import { DomainError, type Ctx, type Identity } from '../context';
import { parseInput } from '../input';
import { requireOwner } from './record-owner';
import { touchWorkspaces } from './workspace-signal';

const Input = z.object({ recordId: z.string().min(1).max(64) }).strict();

/** C12: the owner attaches a record it may see. Other agents' workspaces do not change (C13). */
export function attachRecord(ctx: Ctx, identity: Identity | null, chatId: string, input: unknown) {
	const agent = requireAgentInChat(ctx, identity, chatId);
	const { recordId } = parseInput(Input, input);
	const now = ctx.now();
	ctx.db.transaction((tx) => {
		requireOwner(tx, chatId, agent.id);
		const record = tx.select().from(records).where(eq(records.id, recordId)).get();
		if (!record || !canSeeRecord(viewerOf(agent), record)) throw new DomainError('NOT_FOUND', 'recordId: no such record');
		const attached = tx
			.select({ id: chatRecords.id })
			.from(chatRecords)
			.where(and(eq(chatRecords.chatId, chatId), eq(chatRecords.recordId, recordId), isNull(chatRecords.removedAt)))
			.get();
		if (attached) throw new DomainError('ALREADY_ATTACHED', 'this record is already attached');
		tx.insert(chatRecords).values({ chatId, recordId, attachedBy: agent.id, attachedAt: now }).run();
		recordAudit(tx, { chatId, actor: agent.id, kind: 'record.attached', data: { recordId, title: record.title }, at: now });
	});
	touchWorkspaces(ctx, chatId);
	return { ok: true };
}
