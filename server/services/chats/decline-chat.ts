import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit';
import { removeOffer } from './chat-docs';
import { DomainError, type Call } from '../context';
import { requireAgent } from '../identity/require';
import { routeWaitingChats } from './route-waiting-chats';

/** L1: an offered agent says no; an omni chat is pushed to the next agent. */
export async function declineChat({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const agent = requireAgent(ctx.actor);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const { db, t } = ctx.store;
		const { chatOffers } = t;
		const [offer] = await db
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.agentId, agent.id), eq(chatOffers.status, 'pending')))
			.limit(1);
		if (!offer) throw new DomainError('NOT_OFFERED', 'you have no open offer for this chat');
		await db.update(chatOffers).set({ status: 'declined' }).where(eq(chatOffers.id, offer.id));
		await recordAudit(ctx.store, { chatId, actor: agent.id, kind: 'chat.declined', at: now });
		await removeOffer(ctx, agent.id, offer.id);
		await routeWaitingChats(ctx);
		return { ok: true };
	});
}
