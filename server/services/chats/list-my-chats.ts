import { and, desc, eq, isNull } from 'drizzle-orm';
import { chatParticipants, chats, topics } from '../../db/schema';
import type { Ctx, Identity } from '../context';
import { requireAgent } from '../identity/require';
import { activeChatCount } from './agent-loads';

/** The chats an agent is in now, newest first, with its load (L3). */
export function listMyChats(ctx: Ctx, identity: Identity | null) {
	const agent = requireAgent(identity);
	const rows = ctx.db
		.select({ chat: chats, topic: topics.name, joinedAt: chatParticipants.joinedAt })
		.from(chatParticipants)
		.innerJoin(chats, eq(chats.id, chatParticipants.chatId))
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(and(eq(chatParticipants.userId, agent.id), isNull(chatParticipants.leftAt), eq(chats.status, 'active')))
		.orderBy(desc(chatParticipants.joinedAt))
		.all();
	return {
		chats: rows.map((r) => ({
			id: r.chat.id,
			topic: r.topic,
			customerName: r.chat.customerName,
			status: r.chat.status,
			joinedAt: r.joinedAt
		})),
		capacity: agent.capacity,
		active: activeChatCount(ctx.db, agent.id)
	};
}
