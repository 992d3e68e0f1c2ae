import { and, eq } from 'drizzle-orm';
import { checkAgentEnd } from '../../../src/lib/core/conference/rules';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Facts } from '../../storage/facts';
import { recordAudit } from '../audit';
import { removeOffer, systemNotice, unassignChat, writeChat } from './chat-docs';
import { loadChatFacts, pendingRequests } from '../conference/conference-facts';
import { DomainError, orThrow, type Call, type Identity } from '../context';
import { actorOf } from '../identity/doc-access';
import { routeWaitingChats } from './route-waiting-chats';
import { closeRequests, publishClosed } from '../conference/withdraw-requests';

/**
 * Ends a chat: C8 only the last agent in it, or its customer at any time. The chat document
 * becomes read-only for everyone (sockets stay open to show the transcript); pending chat offers
 * and conference requests are withdrawn (C15).
 */
export async function endChat({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const identity = ctx.actor;
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in');
	const now = ctx.clock();
	const actor = actorOf(identity);
	return ctx.decide(async (ctx) => {
		const { agents, offers, closed, byName } = await closeChat(ctx.store, identity, chatId, now);
		for (const o of offers) await removeOffer(ctx, o.agentId, o.id);
		await writeChat(ctx, chatId, actor, ({ messages, meta }) => {
			meta.set('status', 'ended');
			messages.push([systemNotice(`${byName} ended the chat`, now)]);
		});
		ctx.docs.readOnly(docNames.chat(chatId));
		for (const a of agents) await unassignChat(ctx, a, chatId);
		await publishClosed(ctx, closed);
		await routeWaitingChats(ctx);
		return { ok: true };
	});
}

/** The facts of an end (or its refusal): who may, the offers and requests withdrawn. */
async function closeChat(store: Facts, identity: Identity, chatId: string, now: number) {
	const { db, t } = store;
	const actor = actorOf(identity);
	const chat = await loadChatFacts(store, chatId);
	if (identity.kind === 'customer') {
		if (identity.chatId !== chatId) throw new DomainError('FORBIDDEN', 'this chat is not yours');
		if (chat.status === 'ended') throw new DomainError('CHAT_ENDED', 'this chat has already ended');
	} else {
		if ((identity.user.role !== 'agent' && identity.user.role !== 'supervisor') || !chat.agentIds.includes(identity.user.id))
			throw new DomainError('FORBIDDEN', 'only the customer or an agent in this chat may end it');
		orThrow(checkAgentEnd(chat, identity.user.id));
	}
	await db.update(t.chats).set({ status: 'ended', endedAt: now }).where(eq(t.chats.id, chatId));
	const pendingOffers = and(eq(t.chatOffers.chatId, chatId), eq(t.chatOffers.status, 'pending'));
	const offers = await db.select().from(t.chatOffers).where(pendingOffers);
	await db.update(t.chatOffers).set({ status: 'withdrawn' }).where(pendingOffers);
	await recordAudit(store, { chatId, actor, kind: 'chat.ended', at: now });
	const closed = await closeRequests(store, await pendingRequests(store, { chatId }), 'withdrawn', actor, now, 'chat_ended');
	const byName = identity.kind === 'customer' ? identity.name : identity.user.name;
	return { agents: chat.agentIds, offers, closed, byName };
}
