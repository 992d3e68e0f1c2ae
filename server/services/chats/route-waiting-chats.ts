import { asc, eq, sql } from 'drizzle-orm';
import { isProven } from '../../../src/lib/core/identity';
import { offereesFor } from '../../../src/lib/core/routing';
import type { Tables } from '../../storage/facts';
import { agentLoads } from './agent-loads';
import { putOffer } from './chat-docs';
import { publishQueue } from './publish-queue';
import type { Ctx } from '../context';

/**
 * T3: the fair order of the queue. Each source's (client address's) waiting chats are numbered
 * oldest first, and the queue takes every source's first chat, then every source's second, and
 * so on, oldest first within a round: a flood from one address waits behind everyone else's first
 * chat instead of in front of it. A chat without a source (started before sources were kept)
 * counts as its own. A window function in ORDER BY: SQLite and PostgreSQL read it alike.
 */
export const rankInSource = ({ chats }: Tables) =>
	sql`row_number() over (partition by coalesce(${chats.sourceKey}, ${chats.id}) order by ${chats.createdAt}, ${chats.id})`;

/**
 * L1: offers every waiting chat, in the fair order above, to whoever its routing says. Called
 * whenever the answer may change: a chat starts, an agent becomes available, declines, or frees
 * capacity.
 * omni: one pending offer at a time (a push); button: every eligible agent not yet offered.
 * Writes offers: call it inside a decision (with the decision's ctx).
 */
export async function routeWaitingChats(ctx: Ctx) {
	const { db, t } = ctx.store;
	const { chats, topics, chatOffers } = t;
	const waiting = await db
		.select({ chat: chats, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(eq(chats.status, 'waiting'))
		.orderBy(rankInSource(t), asc(chats.createdAt), asc(chats.id));
	for (const { chat, topic } of waiting) {
		const offers = await db.select().from(chatOffers).where(eq(chatOffers.chatId, chat.id));
		const pending = offers.filter((o) => o.status === 'pending');
		if (chat.routing === 'omni' && pending.length > 0) continue;
		const skip = new Set(offers.filter((o) => o.status === 'pending' || o.status === 'declined').map((o) => o.agentId));
		const candidates = (await agentLoads(ctx.store)).filter((a) => !skip.has(a.id));
		for (const agent of offereesFor(chat.routing, candidates, chat.skill)) {
			const offer = { id: ctx.ids(), chatId: chat.id, agentId: agent.id, status: 'pending' as const, at: ctx.clock() };
			await db.insert(chatOffers).values(offer);
			await putOffer(ctx, agent.id, {
				id: offer.id,
				kind: 'chat',
				chatId: chat.id,
				topic,
				routing: chat.routing,
				customerName: chat.customerName,
				verified: isProven(chat.identity),
				at: offer.at
			});
		}
	}
	// B8: the queue changed (or may have): every waiting customer sees where it stands.
	await publishQueue(ctx);
}
