// An agent's attendance of a chat: joining (C4, C13) and leaving (C7), the facts inside a decision's
// transaction and the document changes that go with them. Shared by the verbs that add or remove agents.
import { and, eq, isNull } from 'drizzle-orm';
import * as CLOSE from '../../../src/lib/core/close-codes';
import { isProven } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import type { UserRow } from '../../auth/sessions';
import type { Db } from '../../db/client';
import { chatParticipants, chatRecords, chats, chatWorkspaces, topics } from '../../db/schema';
import { recordAudit } from '../audit';
import { assignChat, systemNotice, unassignChat, writeChat } from './chat-docs';
import { pendingRequests } from '../conference/conference-facts';
import type { Ctx } from '../context';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed, type Closed } from '../conference/withdraw-requests';
import { touchWorkspaces } from '../records/workspace-signal';

/**
 * Inside a transaction: the agent is in the chat from now (a rejoin starts a new attendance), and
 * its workspace is the set of records attached at this moment (C13).
 */
export function addAgentToChat(tx: Pick<Db, 'insert' | 'select'>, chatId: string, agentId: string, now: number) {
	tx.insert(chatParticipants)
		.values({ chatId, userId: agentId, role: 'agent', joinedAt: now })
		.onConflictDoUpdate({ target: [chatParticipants.chatId, chatParticipants.userId], set: { joinedAt: now, leftAt: null } })
		.run();
	const recordIds = attachedRecordIds(tx, chatId);
	tx.insert(chatWorkspaces)
		.values({ chatId, agentId, recordIds, takenAt: now })
		.onConflictDoUpdate({ target: [chatWorkspaces.chatId, chatWorkspaces.agentId], set: { recordIds, takenAt: now } })
		.run();
}

/** Record ids attached to the chat now, in attach order. */
export function attachedRecordIds(db: Pick<Db, 'select'>, chatId: string): string[] {
	return db
		.select({ id: chatRecords.recordId })
		.from(chatRecords)
		.where(and(eq(chatRecords.chatId, chatId), isNull(chatRecords.removedAt)))
		.orderBy(chatRecords.id)
		.all()
		.map((r) => r.id);
}

/** C4/C6 after commit: participant and notice in the chat, the chat on the agent's desk. */
export function announceJoin(ctx: Ctx, chatId: string, agent: Pick<UserRow, 'id' | 'name'>, now: number, notice = `${agent.name} joined the chat`) {
	writeChat(ctx, chatId, agent.id, ({ messages, participants, meta }) => {
		meta.set('status', 'active');
		participants.set(agent.id, { id: agent.id, role: 'agent', name: agent.name, joinedAt: now });
		messages.push([systemNotice(notice, now)]);
	});
	const row = ctx.db
		.select({ customerName: chats.customerName, identity: chats.identity, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(eq(chats.id, chatId))
		.get();
	assignChat(ctx, agent.id, {
		chatId,
		topic: row?.topic ?? '',
		customerName: row?.customerName ?? '',
		verified: row ? isProven(row.identity) : false,
		joinedAt: now
	});
}

export const chatDocs = (chatId: string) => [docNames.chat(chatId), docNames.chatAgents(chatId)];

/** Inside a transaction: the agent's attendance ends; its pending requests are withdrawn. */
export function removeAgent(tx: Db, chatId: string, agentId: string, now: number, auditKind: string): Closed[] {
	tx.update(chatParticipants)
		.set({ leftAt: now })
		.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.userId, agentId)))
		.run();
	recordAudit(tx, { chatId, actor: agentId, kind: auditKind, at: now });
	return closeRequests(tx, pendingRequests(tx, { chatId, requesterId: agentId }), 'withdrawn', agentId, now, 'requester_left');
}

/** After commit: sockets closed, notice and participant update, desk updated, outcomes published. */
export function announceLeave(ctx: Ctx, chatId: string, agent: Pick<UserRow, 'id' | 'name'>, now: number, notice: string, closed: Closed[]) {
	for (const name of chatDocs(chatId))
		ctx.docs.forEachPeer(name, (p) => p.actor === agent.id && p.close(CLOSE.ACCESS_ENDED, 'you left this chat'));
	writeChat(ctx, chatId, agent.id, ({ messages, participants }) => {
		const me = participants.get(agent.id);
		if (me) participants.set(agent.id, { ...me, leftAt: now });
		messages.push([systemNotice(notice, now)]);
	});
	unassignChat(ctx, agent.id, chatId);
	publishClosed(ctx, closed);
	touchWorkspaces(ctx, chatId);
	routeWaitingChats(ctx);
}
