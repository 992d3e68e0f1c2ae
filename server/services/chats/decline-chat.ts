import { and, eq } from 'drizzle-orm';
import { chatOffers } from '../../db/schema';
import { recordAudit } from '../audit';
import { removeOffer } from './chat-docs';
import { DomainError, type Ctx, type Identity } from '../context';
import { requireAgent } from '../identity/require';
import { routeWaitingChats } from './route-waiting-chats';

/** L1: an offered agent says no; an omni chat is pushed to the next agent. */
export function declineChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const offer = ctx.db.transaction((tx) => {
		const offer = tx
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.agentId, agent.id), eq(chatOffers.status, 'pending')))
			.get();
		if (!offer) throw new DomainError('NOT_OFFERED', 'you have no open offer for this chat');
		tx.update(chatOffers).set({ status: 'declined' }).where(eq(chatOffers.id, offer.id)).run();
		recordAudit(tx, { chatId, actor: agent.id, kind: 'chat.declined', at: now });
		return offer;
	});
	removeOffer(ctx, agent.id, offer.id);
	routeWaitingChats(ctx);
	return { ok: true };
}
