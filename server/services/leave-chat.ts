import { and, eq } from 'drizzle-orm';
import { checkLeave } from '../../src/lib/core/conference/rules';
import type { UserRow } from '../auth/sessions';
import type { Db } from '../db/client';
import { chatParticipants } from '../db/schema';
import * as CLOSE from '../../src/lib/core/close-codes';
import { recordAudit } from './audit';
import { systemNotice, unassignChat, writeChat } from './chat-docs';
import { loadChatFacts, pendingRequests } from './conference-facts';
import { orThrow, type Ctx, type Identity } from './context';
import { chatDocs } from './join-chat';
import { requireAgent } from './require';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed, type Closed } from './withdraw-requests';
import { touchWorkspaces } from './workspace-signal';

/**
 * C7: Leave Conversation. The agent loses access at once (its sockets for the chat's documents
 * close), the others see a notice, and its own pending requests are withdrawn (C15).
 */
export function leaveChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const closed = ctx.db.transaction((tx) => {
		orThrow(checkLeave(loadChatFacts(tx, chatId), agent.id));
		return removeAgent(tx, chatId, agent.id, now, 'chat.left');
	});
	announceLeave(ctx, chatId, agent, now, `${agent.name} left the chat`, closed);
	return { ok: true };
}

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
