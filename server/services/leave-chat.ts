import { and, eq } from 'drizzle-orm';
import { checkLeave } from '../../src/lib/core/conference/rules';
import { chatParticipants } from '../db/schema';
import { CLOSE } from '../sync/protocol';
import { recordAudit } from './audit';
import { systemNotice, unassignChat, writeChat } from './chat-docs';
import { loadChatFacts, pendingRequests } from './conference-facts';
import { orThrow, type Ctx, type Identity } from './context';
import { chatDocs } from './join-chat';
import { requireAgent } from './require';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed } from './withdraw-requests';

/**
 * C7: Leave Conversation. The agent loses access at once (its sockets for the chat's documents
 * close), the others see a notice, and its own pending requests are withdrawn (C15).
 */
export function leaveChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const closed = ctx.db.transaction((tx) => {
		orThrow(checkLeave(loadChatFacts(tx, chatId), agent.id));
		tx.update(chatParticipants)
			.set({ leftAt: now })
			.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.userId, agent.id)))
			.run();
		recordAudit(tx, { chatId, actor: agent.id, kind: 'chat.left', at: now });
		const mine = pendingRequests(tx, { chatId, requesterId: agent.id });
		return closeRequests(tx, mine, 'withdrawn', agent.id, now, 'requester_left');
	});
	for (const name of chatDocs(chatId))
		ctx.docs.forEachPeer(name, (p) => p.actor === agent.id && p.close(CLOSE.ACCESS_ENDED, 'you left this chat'));
	writeChat(ctx, chatId, agent.id, ({ messages, participants }) => {
		const me = participants.get(agent.id);
		if (me) participants.set(agent.id, { ...me, leftAt: now });
		messages.push([systemNotice(`${agent.name} left the chat`, now)]);
	});
	unassignChat(ctx, agent.id, chatId);
	publishClosed(ctx, closed);
	routeWaitingChats(ctx);
	return { ok: true };
}
