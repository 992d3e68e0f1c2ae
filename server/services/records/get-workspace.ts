import { and, eq, inArray } from 'drizzle-orm';
import { canSeeRecord, partition } from '../../../src/lib/core/context/visibility';
import { workspaceRecordIds } from '../../../src/lib/core/context/workspace';
import { chats, chatWorkspaces, records, users } from '../../db/schema';
import { attendanceOf, requireAgentInChat, viewerOf } from '../chats/chat-context';
import type { Ctx, Identity } from '../context';
import { attachedRecordIds } from '../chats/attendance';
import { publicRecord } from './list-records';

/**
 * C11–C13: the caller's workspace. The owner's is live; every other agent's is the set attached
 * when it joined. Records the caller may not see are counted, never sent.
 */
export function getWorkspace(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgentInChat(ctx, identity, chatId);
	const chat = ctx.db.select({ origin: chats.originatingAgentId }).from(chats).where(eq(chats.id, chatId)).get()!;
	const snapshot = ctx.db
		.select({ ids: chatWorkspaces.recordIds })
		.from(chatWorkspaces)
		.where(and(eq(chatWorkspaces.chatId, chatId), eq(chatWorkspaces.agentId, agent.id)))
		.get();
	const ws = workspaceRecordIds({
		agentId: agent.id,
		originatingAgentId: chat.origin,
		attendance: attendanceOf(ctx.db, chatId),
		attachedNow: attachedRecordIds(ctx.db, chatId),
		attachedAtJoin: snapshot?.ids ?? []
	});
	const rows = ws.recordIds.length ? ctx.db.select().from(records).where(inArray(records.id, [...ws.recordIds])).all() : [];
	const ordered = ws.recordIds.map((id) => rows.find((r) => r.id === id)).filter((r) => r !== undefined);
	const { shown, withheld } = partition(ordered, (r) => canSeeRecord(viewerOf(agent), r));
	const owner = ws.owner ? ctx.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, ws.owner)).get() : null;
	return { owner: owner ?? null, live: ws.live, records: shown.map(publicRecord), withheld };
}
