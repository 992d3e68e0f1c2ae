import { and, eq } from 'drizzle-orm';
import { checkAgentEnd } from '../../../src/lib/core/conference/rules';
import { docNames } from '../../../src/lib/core/doc-name';
import { chatOffers, chats } from '../../db/schema';
import { recordAudit } from '../audit';
import { removeOffer, systemNotice, unassignChat, writeChat } from './chat-docs';
import { loadChatFacts, pendingRequests } from '../conference/conference-facts';
import { DomainError, orThrow, type Ctx, type Identity } from '../context';
import { actorOf } from '../identity/doc-access';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed } from '../conference/withdraw-requests';

/**
 * Ends a chat: C8 only the last agent in it, or its customer at any time. The chat document
 * becomes read-only for everyone (sockets stay open to show the transcript); pending chat offers
 * and conference requests are withdrawn (C15).
 */
export function endChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in');
	const now = ctx.now();
	const actor = actorOf(identity);
	const { agents, offers, closed, byName } = ctx.db.transaction((tx) => {
		const chat = loadChatFacts(tx, chatId);
		if (identity.kind === 'customer') {
			if (identity.chatId !== chatId) throw new DomainError('FORBIDDEN', 'this chat is not yours');
			if (chat.status === 'ended') throw new DomainError('CHAT_ENDED', 'this chat has already ended');
		} else {
			if (identity.user.role !== 'agent' || !chat.agentIds.includes(identity.user.id))
				throw new DomainError('FORBIDDEN', 'only the customer or an agent in this chat may end it');
			orThrow(checkAgentEnd(chat, identity.user.id));
		}
		tx.update(chats).set({ status: 'ended', endedAt: now }).where(eq(chats.id, chatId)).run();
		const pendingOffers = and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending'));
		const offers = tx.select().from(chatOffers).where(pendingOffers).all();
		tx.update(chatOffers).set({ status: 'withdrawn' }).where(pendingOffers).run();
		recordAudit(tx, { chatId, actor, kind: 'chat.ended', at: now });
		const closed = closeRequests(tx, pendingRequests(tx, { chatId }), 'withdrawn', actor, now, 'chat_ended');
		const byName = identity.kind === 'customer' ? identity.name : identity.user.name;
		return { agents: chat.agentIds, offers, closed, byName };
	});
	for (const o of offers) removeOffer(ctx, o.agentId, o.id);
	writeChat(ctx, chatId, actor, ({ messages, meta }) => {
		meta.set('status', 'ended');
		messages.push([systemNotice(`${byName} ended the chat`, now)]);
	});
	ctx.docs.forEachPeer(docNames.chat(chatId), (p) => (p.mode = 'read'));
	for (const a of agents) unassignChat(ctx, a, chatId);
	publishClosed(ctx, closed);
	routeWaitingChats(ctx);
	return { ok: true };
}
