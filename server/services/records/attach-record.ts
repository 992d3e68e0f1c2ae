import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { canSeeRecord } from '../../../src/lib/core/context/visibility';
import { recordAudit } from '../audit';
import { requireAgentInChat, viewerOf } from '../chats/chat-context';
import { DomainError, type Call } from '../context';
import { parseInput } from '../input';
import { requireOwner } from './record-owner';
import { touchWorkspaces } from './workspace-signal';

const Input = z.object({ recordId: z.string().min(1).max(64) }).strict();

/** C12: the owner attaches a record it may see. Other agents' workspaces do not change (C13). */
export async function attachRecord({ ctx, input }: Call<{ chatId: string; body: unknown }>) {
	const { chatId } = input;
	return ctx.decide(async (ctx) => {
		const agent = await requireAgentInChat(ctx, ctx.actor, chatId);
		const { recordId } = parseInput(Input, input.body);
		const now = ctx.clock();
		const { db, t } = ctx.store;
		await requireOwner(ctx.store, chatId, agent.id);
		const [record] = await db.select().from(t.records).where(eq(t.records.id, recordId)).limit(1);
		if (!record || !canSeeRecord(viewerOf(agent), record)) throw new DomainError('NOT_FOUND', 'recordId: no such record');
		const cr = t.chatRecords;
		const [attached] = await db
			.select({ id: cr.id })
			.from(cr)
			.where(and(eq(cr.chatId, chatId), eq(cr.recordId, recordId), isNull(cr.removedAt)))
			.limit(1);
		if (attached) throw new DomainError('ALREADY_ATTACHED', 'this record is already attached');
		await db.insert(cr).values({ chatId, recordId, attachedBy: agent.id, attachedAt: now });
		await recordAudit(ctx.store, { chatId, actor: agent.id, kind: 'record.attached', data: { recordId, title: record.title }, at: now });
		await touchWorkspaces(ctx, chatId);
		return { ok: true };
	});
}
