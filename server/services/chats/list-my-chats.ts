import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Call } from '../context';
import { requireAgent } from '../identity/require';
import { activeChatCount } from './agent-loads';

/** The chats an agent is in now, newest first, with its load (L3). */
export async function listMyChats({ ctx }: Call<undefined>) {
	const agent = requireAgent(ctx.actor);
	const { db, t } = ctx.store;
	const { chats, chatParticipants } = t;
	const rows = await db
		.select({ chat: chats, topic: t.topics.name, joinedAt: chatParticipants.joinedAt })
		.from(chatParticipants)
		.innerJoin(chats, eq(chats.id, chatParticipants.chatId))
		.innerJoin(t.topics, eq(t.topics.id, chats.topicId))
		.where(and(eq(chatParticipants.userId, agent.id), isNull(chatParticipants.leftAt), eq(chats.status, 'active')))
		.orderBy(desc(chatParticipants.joinedAt));
	return {
		chats: rows.map((r) => ({
			id: r.chat.id,
			topic: r.topic,
			customerName: r.chat.customerName,
			status: r.chat.status,
			joinedAt: r.joinedAt
		})),
		capacity: agent.capacity,
		active: await activeChatCount(ctx.store, agent.id)
	};
}
