import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AgentLoad } from '../../../src/lib/core/routing';
import { chatOffers, chatParticipants, chats, users } from '../../db/schema';
import type { Db } from '../../db/client';

/**
 * L3: every agent's presence, skills, capacity and load. Load counts active chats plus pending
 * omni offers (a pushed chat reserves its seat until accepted or declined).
 */
export function agentLoads(db: Db): AgentLoad[] {
	const agents = db.select().from(users).where(eq(users.role, 'agent')).all();
	const active = db
		.select({ userId: chatParticipants.userId, n: sql<number>`count(*)` })
		.from(chatParticipants)
		.innerJoin(chats, eq(chats.id, chatParticipants.chatId))
		.where(and(eq(chatParticipants.role, 'agent'), isNull(chatParticipants.leftAt), eq(chats.status, 'active')))
		.groupBy(chatParticipants.userId)
		.all();
	const reserved = db
		.select({ userId: chatOffers.agentId, n: sql<number>`count(*)` })
		.from(chatOffers)
		.innerJoin(chats, eq(chats.id, chatOffers.chatId))
		.where(and(eq(chatOffers.status, 'pending'), eq(chats.routing, 'omni')))
		.groupBy(chatOffers.agentId)
		.all();
	const count = (rows: { userId: string; n: number }[], id: string) => rows.find((r) => r.userId === id)?.n ?? 0;
	return agents.map((a) => ({
		id: a.id,
		presence: a.presence,
		skills: a.skills,
		capacity: a.capacity,
		activeChats: count(active, a.id) + count(reserved, a.id),
		lastAssignedAt: a.lastAssignedAt
	}));
}

/** Active chats of one agent (without reservations): what capacity is checked against on accept. */
export function activeChatCount(db: Db, agentId: string): number {
	const row = db
		.select({ n: sql<number>`count(*)` })
		.from(chatParticipants)
		.innerJoin(chats, eq(chats.id, chatParticipants.chatId))
		.where(
			and(
				eq(chatParticipants.userId, agentId),
				eq(chatParticipants.role, 'agent'),
				isNull(chatParticipants.leftAt),
				eq(chats.status, 'active')
			)
		)
		.get();
	return row?.n ?? 0;
}
