// An agent's attendance of a chat: joining (C4, C13) and leaving (C7), the facts inside a decision's
// transaction and the document changes that go with them. Shared by the verbs that add or remove agents.
import { and, eq, isNull } from 'drizzle-orm';
import * as CLOSE from '../../../src/lib/core/close-codes';
import { isProven } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import type { UserRow } from '../../auth/sessions';
import type { Facts } from '../../storage/facts';
import { recordAudit } from '../audit';
import { assignChat, systemNotice, unassignChat, writeChat } from './chat-docs';
import { pendingRequests } from '../conference/conference-facts';
import type { Ctx } from '../context';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed, type Closed } from '../conference/withdraw-requests';
import { touchWorkspaces } from '../records/workspace-signal';

/**
 * Inside a decision: the agent is in the chat from now (a rejoin starts a new attendance), and
 * its workspace is the set of records attached at this moment (C13).
 */
export async function addAgentToChat(store: Facts, chatId: string, agentId: string, now: number) {
	const { db, t } = store;
	await db
		.insert(t.chatParticipants)
		.values({ chatId, userId: agentId, role: 'agent', joinedAt: now })
		.onConflictDoUpdate({ target: [t.chatParticipants.chatId, t.chatParticipants.userId], set: { joinedAt: now, leftAt: null } });
	const recordIds = await attachedRecordIds(store, chatId);
	await db
		.insert(t.chatWorkspaces)
		.values({ chatId, agentId, recordIds, takenAt: now })
		.onConflictDoUpdate({ target: [t.chatWorkspaces.chatId, t.chatWorkspaces.agentId], set: { recordIds, takenAt: now } });
}

/** Record ids attached to the chat now, in attach order. */
export async function attachedRecordIds(store: Facts, chatId: string): Promise<string[]> {
	const { db, t } = store;
	const rows = await db
		.select({ id: t.chatRecords.recordId })
		.from(t.chatRecords)
		.where(and(eq(t.chatRecords.chatId, chatId), isNull(t.chatRecords.removedAt)))
		.orderBy(t.chatRecords.id);
	return rows.map((r) => r.id);
}

/** C4/C6, in the decision after its facts: participant and notice in the chat, the chat on the agent's desk. */
export async function announceJoin(ctx: Ctx, chatId: string, agent: Pick<UserRow, 'id' | 'name'>, now: number, notice = `${agent.name} joined the chat`) {
	await writeChat(ctx, chatId, agent.id, ({ messages, participants, meta }) => {
		meta.set('status', 'active');
		participants.set(agent.id, { id: agent.id, role: 'agent', name: agent.name, joinedAt: now });
		messages.push([systemNotice(notice, now)]);
	});
	const { db, t } = ctx.store;
	const [row] = await db
		.select({ customerName: t.chats.customerName, identity: t.chats.identity, topic: t.topics.name })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.where(eq(t.chats.id, chatId))
		.limit(1);
	await assignChat(ctx, agent.id, {
		chatId,
		topic: row?.topic ?? '',
		customerName: row?.customerName ?? '',
		verified: row ? isProven(row.identity) : false,
		joinedAt: now
	});
}

export const chatDocs = (chatId: string) => [docNames.chat(chatId), docNames.chatAgents(chatId)];

/** Inside a decision: the agent's attendance ends; its pending requests are withdrawn. */
export async function removeAgent(store: Facts, chatId: string, agentId: string, now: number, auditKind: string): Promise<Closed[]> {
	const { db, t } = store;
	await db
		.update(t.chatParticipants)
		.set({ leftAt: now })
		.where(and(eq(t.chatParticipants.chatId, chatId), eq(t.chatParticipants.userId, agentId)));
	await recordAudit(store, { chatId, actor: agentId, kind: auditKind, at: now });
	return closeRequests(store, await pendingRequests(store, { chatId, requesterId: agentId }), 'withdrawn', agentId, now, 'requester_left');
}

/**
 * In the decision after its facts: sockets closed (after the commit), notice and participant
 * update, desk updated, outcomes published.
 */
export async function announceLeave(ctx: Ctx, chatId: string, agent: Pick<UserRow, 'id' | 'name'>, now: number, notice: string, closed: Closed[]) {
	for (const name of chatDocs(chatId))
		ctx.docs.closeActor(name, agent.id, CLOSE.ACCESS_ENDED, 'you left this chat');
	await writeChat(ctx, chatId, agent.id, ({ messages, participants }) => {
		const me = participants.get(agent.id);
		if (me) participants.set(agent.id, { ...me, leftAt: now });
		messages.push([systemNotice(notice, now)]);
	});
	await unassignChat(ctx, agent.id, chatId);
	await publishClosed(ctx, closed);
	await touchWorkspaces(ctx, chatId);
	await routeWaitingChats(ctx);
}
