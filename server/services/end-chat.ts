import { and, eq, isNull } from 'drizzle-orm';
import { docNames } from '../../src/lib/core/types';
import { chatOffers, chatParticipants, chats } from '../db/schema';
import { recordAudit } from './audit';
import { removeOffer, systemNotice, unassignChat, writeChat } from './chat-docs';
import { DomainError, type Ctx, type Identity } from './context';
import { actorOf } from './doc-access';
import { routeWaitingChats } from './route-waiting-chats';

/**
 * Ends a chat: by an agent in it or by its customer. The chat document becomes read-only for
 * everyone (sockets stay open to show the transcript), pending offers are withdrawn.
 */
export function endChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in');
	const now = ctx.now();
	const actor = actorOf(identity);
	const { agents, offers, byName } = ctx.db.transaction((tx) => {
		const chat = tx.select().from(chats).where(eq(chats.id, chatId)).get();
		if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
		const agents = tx
			.select({ userId: chatParticipants.userId })
			.from(chatParticipants)
			.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.role, 'agent'), isNull(chatParticipants.leftAt)))
			.all()
			.map((a) => a.userId);
		const allowed =
			identity.kind === 'customer'
				? identity.chatId === chatId
				: identity.user.role === 'agent' && agents.includes(identity.user.id);
		if (!allowed) throw new DomainError('FORBIDDEN', 'only the customer or an agent in this chat may end it');
		if (chat.status === 'ended') throw new DomainError('CHAT_ENDED', 'this chat has already ended');
		tx.update(chats).set({ status: 'ended', endedAt: now }).where(eq(chats.id, chatId)).run();
		const offers = tx
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending')))
			.all();
		tx.update(chatOffers)
			.set({ status: 'withdrawn' })
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending')))
			.run();
		recordAudit(tx, { chatId, actor, kind: 'chat.ended', at: now });
		const byName = identity.kind === 'customer' ? identity.name : identity.user.name;
		return { agents, offers, byName };
	});
	for (const o of offers) removeOffer(ctx, o.agentId, o.id);
	writeChat(ctx, chatId, actor, ({ messages, meta }) => {
		meta.set('status', 'ended');
		messages.push([systemNotice(`${byName} ended the chat`, now)]);
	});
	ctx.docs.forEachPeer(docNames.chat(chatId), (p) => (p.mode = 'read'));
	for (const a of agents) unassignChat(ctx, a, chatId);
	routeWaitingChats(ctx);
	return { ok: true };
}
