import { and, desc, eq, ne } from 'drizzle-orm';
import { canViewChat, partition } from '../../../src/lib/core/context/visibility';
import { isProven, UNVERIFIED_REASON } from '../../../src/lib/core/identity';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { ChatMessage } from '../../../src/lib/core/types';
import { chatParticipants, chats, topics, users } from '../../db/schema';
import { requireAgentInChat, viewerOf } from './chat-context';
import type { Ctx, Identity } from '../context';

/**
 * C9/C10: the customer's earlier chats (same customer), newest first, that the caller may read;
 * the others only as a count. A hidden chat's content never leaves the server.
 * T4: only for a chat whose identity is proven, and only its proven earlier chats: a chat
 * started by typing an email in use gets none (`verified: false`), and such claimed chats are
 * never part of anyone's history (`unverified` counts them).
 */
export function getHistory(ctx: Ctx, identity: Identity | null, chatId: string) {
	const agent = requireAgentInChat(ctx, identity, chatId);
	const current = ctx.db
		.select({ customerId: chats.customerId, identity: chats.identity })
		.from(chats)
		.where(eq(chats.id, chatId))
		.get()!;
	if (!isProven(current.identity))
		return { verified: false as const, identity: current.identity, reason: UNVERIFIED_REASON, chats: [], withheld: 0, unverified: 0 };
	const earlier = ctx.db
		.select({ chat: chats, topic: topics.name })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.where(and(eq(chats.customerId, current.customerId), ne(chats.id, chatId)))
		.orderBy(desc(chats.createdAt))
		.all();
	const proven = earlier.filter((r) => isProven(r.chat.identity)).map((r) => ({ ...r, agents: agentsOf(ctx, r.chat.id) }));
	const { shown, withheld } = partition(proven, (r) => canViewChat(viewerOf(agent), { skill: r.chat.skill, agentIds: r.agents.map((a) => a.id) }));
	return {
		verified: true as const,
		identity: current.identity,
		chats: shown.map((r) => ({
			id: r.chat.id,
			topic: r.topic,
			status: r.chat.status,
			createdAt: r.chat.createdAt,
			endedAt: r.chat.endedAt,
			agents: r.agents.map((a) => a.name),
			messages: ctx.docs.get(docNames.chat(r.chat.id)).doc.getArray<ChatMessage>(ROOT.MESSAGES).toArray()
		})),
		withheld,
		unverified: earlier.length - proven.length
	};
}

function agentsOf(ctx: Ctx, chatId: string) {
	return ctx.db
		.select({ id: users.id, name: users.name })
		.from(chatParticipants)
		.innerJoin(users, eq(users.id, chatParticipants.userId))
		.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.role, 'agent')))
		.all();
}
