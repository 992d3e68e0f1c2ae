import { and, desc, eq, ne } from 'drizzle-orm';
import { canViewChat, partition } from '../../../src/lib/core/context/visibility';
import { isProven, UNVERIFIED_REASON } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { ChatMessage } from '../../../src/lib/core/types';
import type { Facts } from '../../storage/facts';
import { requireAgentInChat, viewerOf } from './chat-context';
import type { Call, Ctx } from '../context';

/**
 * C9/C10: the customer's earlier chats (same customer), newest first, that the caller may read;
 * the others only as a count. A hidden chat's content never leaves the server.
 * T4: only for a chat whose identity is proven, and only its proven earlier chats: a chat
 * started by typing an email in use gets none (`verified: false`), and such claimed chats are
 * never part of anyone's history (`unverified` counts them).
 */
export async function getHistory({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const agent = await requireAgentInChat(ctx, ctx.actor, chatId);
	const { db, t } = ctx.store;
	const { chats, topics } = t;
	const [current] = await db
		.select({ customerId: chats.customerId, identity: chats.identity })
		.from(chats)
		.where(eq(chats.id, chatId))
		.limit(1);
	if (!isProven(current.identity))
		return { verified: false as const, identity: current.identity, reason: UNVERIFIED_REASON, chats: [], withheld: 0, unverified: 0 };
	const earlier = await db
		.select({ chat: chats, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(and(eq(chats.customerId, current.customerId), ne(chats.id, chatId)))
		.orderBy(desc(chats.createdAt));
	const proven = [];
	for (const r of earlier) if (isProven(r.chat.identity)) proven.push({ ...r, agents: await agentsOf(ctx.store, r.chat.id) });
	const { shown, withheld } = partition(proven, (r) => canViewChat(viewerOf(agent), { skill: r.chat.skill, agentIds: r.agents.map((a) => a.id) }));
	const chatsShown = [];
	for (const r of shown)
		chatsShown.push({
			id: r.chat.id,
			topic: r.topic,
			status: r.chat.status,
			createdAt: r.chat.createdAt,
			endedAt: r.chat.endedAt,
			agents: r.agents.map((a) => a.name),
			messages: await messagesOf(ctx, r.chat.id),
			// B8: the customer's rating of that chat, or null.
			rating: await ratingOf(ctx.store, r.chat.id)
		});
	return { verified: true as const, identity: current.identity, chats: chatsShown, withheld, unverified: earlier.length - proven.length };
}

async function messagesOf(ctx: Ctx, chatId: string): Promise<ChatMessage[]> {
	return (await ctx.docs.get(docNames.chat(chatId))).doc.getArray<ChatMessage>(ROOT.MESSAGES).toArray();
}

async function agentsOf(store: Facts, chatId: string) {
	const { db, t } = store;
	return db
		.select({ id: t.users.id, name: t.users.name })
		.from(t.chatParticipants)
		.innerJoin(t.users, eq(t.users.id, t.chatParticipants.userId))
		.where(and(eq(t.chatParticipants.chatId, chatId), eq(t.chatParticipants.role, 'agent')));
}

/** B8: a chat's rating (README "Nobody left hanging"), or null. */
async function ratingOf(store: Facts, chatId: string) {
	const { db, t } = store;
	const [row] = await db.select().from(t.chatRatings).where(eq(t.chatRatings.chatId, chatId)).limit(1);
	return row ? { score: row.score, comment: row.comment, at: row.at } : null;
}
