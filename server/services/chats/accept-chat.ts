import { and, eq, ne } from 'drizzle-orm';
import { isProven } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import type { UserRow } from '../../auth/sessions';
import type { Facts } from '../../storage/facts';
import { activeChatCount } from './agent-loads';
import { recordAudit } from '../audit';
import { assignChat, removeOffer, systemNotice, writeChat } from './chat-docs';
import { DomainError, type Call } from '../context';
import { requireAgent } from '../identity/require';
import { addAgentToChat } from './attendance';
import { publishQueue } from './publish-queue';

/**
 * L1/L2: an offered agent accepts a waiting chat and becomes its originating agent. Exactly one
 * accept wins: the chat row moves `waiting → active` only where it is still waiting.
 */
export async function acceptChat({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const agent = requireAgent(ctx.actor);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const outcome = await takeChat(ctx.store, agent, chatId, now);
		await removeOffer(ctx, agent.id, outcome.offer.id);
		for (const o of outcome.others) await removeOffer(ctx, o.agentId, o.id);
		await writeChat(ctx, chatId, agent.id, ({ messages, participants, meta }) => {
			meta.set('status', 'active');
			participants.set(agent.id, { id: agent.id, role: 'agent', name: agent.name, joinedAt: now });
			messages.push([systemNotice(`${agent.name} joined the chat`, now)]);
		});
		const { chat, topic } = outcome;
		await assignChat(ctx, agent.id, { chatId, topic, customerName: chat.customerName, verified: isProven(chat.identity), joinedAt: now });
		// B8: the customers behind it move up the queue.
		await publishQueue(ctx);
		return { chatId, doc: docNames.chat(chatId) };
	});
}

/** The facts of an accept (or its refusal): the chat, the agent's offer, the offers withdrawn. */
async function takeChat(store: Facts, agent: UserRow, chatId: string, now: number) {
	const { db, t } = store;
	const { chats, chatOffers } = t;
	const [chat] = await db.select().from(chats).where(eq(chats.id, chatId)).limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	const [offer] = await db
		.select()
		.from(chatOffers)
		.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.agentId, agent.id)))
		.limit(1);
	if (!offer) throw new DomainError('NOT_OFFERED', 'this chat was not offered to you');
	if (chat.status !== 'waiting' || offer.status !== 'pending')
		throw new DomainError('TAKEN', chat.status === 'ended' ? 'the customer left' : 'another agent took this chat');
	if ((await activeChatCount(store, agent.id)) >= agent.capacity)
		throw new DomainError('AT_CAPACITY', `you are at your capacity of ${agent.capacity} chats`);
	const won = await db
		.update(chats)
		.set({ status: 'active', originatingAgentId: agent.id })
		.where(and(eq(chats.id, chatId), eq(chats.status, 'waiting')))
		.returning({ id: chats.id });
	if (won.length !== 1) throw new DomainError('TAKEN', 'another agent took this chat');
	await db.update(chatOffers).set({ status: 'accepted' }).where(eq(chatOffers.id, offer.id));
	const others = await db
		.select()
		.from(chatOffers)
		.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending'), ne(chatOffers.id, offer.id)));
	await db
		.update(chatOffers)
		.set({ status: 'withdrawn' })
		.where(and(eq(chatOffers.chatId, chatId), eq(chatOffers.status, 'pending')));
	await addAgentToChat(store, chatId, agent.id, now);
	await db.update(t.users).set({ lastAssignedAt: now }).where(eq(t.users.id, agent.id));
	await recordAudit(store, { chatId, actor: agent.id, kind: 'chat.accepted', at: now });
	const [topic] = await db.select({ name: t.topics.name }).from(t.topics).where(eq(t.topics.id, chat.topicId)).limit(1);
	return { chat, offer, others, topic: topic?.name ?? '' };
}
