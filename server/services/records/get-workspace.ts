import { and, eq, inArray } from 'drizzle-orm';
import { canSeeRecord, partition } from '../../../src/lib/core/context/visibility';
import { workspaceRecordIds } from '../../../src/lib/core/context/workspace';
import { attendanceOf, requireAgentInChat, viewerOf } from '../chats/chat-context';
import type { Call } from '../context';
import { attachedRecordIds } from '../chats/attendance';
import { publicRecord } from './list-records';

/**
 * C11–C13: the caller's workspace. The owner's is live; every other agent's is the set attached
 * when it joined. Records the caller may not see are counted, never sent.
 */
export async function getWorkspace({ ctx, input }: Call<{ chatId: string }>) {
	const { chatId } = input;
	const agent = await requireAgentInChat(ctx, ctx.actor, chatId);
	const { db, t } = ctx.store;
	const [chat] = await db.select({ origin: t.chats.originatingAgentId }).from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	const [snapshot] = await db
		.select({ ids: t.chatWorkspaces.recordIds })
		.from(t.chatWorkspaces)
		.where(and(eq(t.chatWorkspaces.chatId, chatId), eq(t.chatWorkspaces.agentId, agent.id)))
		.limit(1);
	const ws = workspaceRecordIds({
		agentId: agent.id,
		originatingAgentId: chat.origin,
		attendance: await attendanceOf(ctx.store, chatId),
		attachedNow: await attachedRecordIds(ctx.store, chatId),
		attachedAtJoin: snapshot?.ids ?? []
	});
	const rows = ws.recordIds.length ? await db.select().from(t.records).where(inArray(t.records.id, [...ws.recordIds])) : [];
	const ordered = ws.recordIds.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
	const { shown, withheld } = partition(ordered, (r) => canSeeRecord(viewerOf(agent), r));
	const [owner] = ws.owner ? await db.select({ id: t.users.id, name: t.users.name }).from(t.users).where(eq(t.users.id, ws.owner)).limit(1) : [];
	return { owner: owner ?? null, live: ws.live, records: shown.map(publicRecord), withheld };
}
