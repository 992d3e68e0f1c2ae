import { and, eq, ne } from 'drizzle-orm';
import { isProven } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import { chatOffers, chats, topics, users } from '../../db/schema';
import { activeChatCount } from './agent-loads';
import { recordAudit } from '../audit';
import { assignChat, removeOffer, systemNotice, writeChat } from './chat-docs';
import { DomainError, type Ctx, type Identity } from '../context';
import { requireAgent } from '../identity/require';
import { addAgentToChat } from './attendance';

/**
 * L1/L2: an offered agent accepts a waiting chat and becomes its originating agent. Exactly one
 * accept wins: the chat row moves `waiting → active` only where it is still waiting.
 */
export function acceptChat(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgent(identity);
	const now = ctx.now();
	const outcome = ctx.db.transaction((tx) => {
		const chat = tx.select().from(chats).where(eq(chats.id, chatId)).get();
		if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
		const offer = tx
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.agentId, agent.id)))
			.get();
		if (!offer) throw new DomainError('NOT_OFFERED', 'this chat was not offered to you');
		if (chat.status !== 'waiting' || offer.status !== 'pending')
			throw new DomainError('TAKEN', chat.status === 'ended' ? 'the customer left' : 'another agent took this chat');
		if (activeChatCount(tx, agent.id) >= agent.capacity)
			throw new DomainError('AT_CAPACITY', `you are at your capacity of ${agent.capacity} chats`);
		const won = tx
			.update(chats)
			.set({ status: 'active', originatingAgentId: agent.id })
			.where(and(eq(chats.id, chatId), eq(chats.status, 'waiting')))
			.run();
		if (won.changes !== 1) throw new DomainError('TAKEN', 'another agent took this chat');
		tx.update(chatOffers).set({ status: 'accepted' }).where(eq(chatOffers.id, offer.id)).run();
		const others = tx
			.select()
			.from(chatOffers)
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending'), ne(chatOffers.id, offer.id)))
			.all();
		tx.update(chatOffers)
			.set({ status: 'withdrawn' })
			.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending')))
			.run();
		addAgentToChat(tx, chatId, agent.id, now);
		tx.update(users).set({ lastAssignedAt: now }).where(eq(users.id, agent.id)).run();
		recordAudit(tx, { chatId, actor: agent.id, kind: 'chat.accepted', at: now });
		const topic = tx.select({ name: topics.name }).from(topics).where(eq(topics.id, chat.topicId)).get();
		return { chat, offer, others, topic: topic?.name ?? '' };
	});
	removeOffer(ctx, agent.id, outcome.offer.id);
	for (const o of outcome.others) removeOffer(ctx, o.agentId, o.id);
	writeChat(ctx, chatId, agent.id, ({ messages, participants, meta }) => {
		meta.set('status', 'active');
		participants.set(agent.id, { id: agent.id, role: 'agent', name: agent.name, joinedAt: now });
		messages.push([systemNotice(`${agent.name} joined the chat`, now)]);
	});
	assignChat(ctx, agent.id, { chatId, topic: outcome.topic, customerName: outcome.chat.customerName, verified: isProven(outcome.chat.identity), joinedAt: now });
	return { chatId, doc: docNames.chat(chatId) };
}
