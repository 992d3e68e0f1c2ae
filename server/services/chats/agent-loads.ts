import { and, eq, isNull, sql } from 'drizzle-orm';
import type { AgentLoad } from '../../../src/lib/core/routing';
import type { Facts } from '../../storage/facts';

/**
 * L3: every agent's presence, skills, capacity and load. Load counts active chats plus pending
 * omni offers (a pushed chat reserves its seat until accepted or declined).
 */
export async function agentLoads(store: Facts): Promise<AgentLoad[]> {
	const { db, t } = store;
	const agents = await db.select().from(t.users).where(eq(t.users.role, 'agent'));
	const active = await db
		.select({ userId: t.chatParticipants.userId, n: sql<number>`count(*)` })
		.from(t.chatParticipants)
		.innerJoin(t.chats, eq(t.chats.id, t.chatParticipants.chatId))
		.where(and(eq(t.chatParticipants.role, 'agent'), isNull(t.chatParticipants.leftAt), eq(t.chats.status, 'active')))
		.groupBy(t.chatParticipants.userId);
	const reserved = await db
		.select({ userId: t.chatOffers.agentId, n: sql<number>`count(*)` })
		.from(t.chatOffers)
		.innerJoin(t.chats, eq(t.chats.id, t.chatOffers.chatId))
		.where(and(eq(t.chatOffers.status, 'pending'), eq(t.chats.routing, 'omni')))
		.groupBy(t.chatOffers.agentId);
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
export async function activeChatCount(store: Facts, agentId: string): Promise<number> {
	const { db, t } = store;
	const [row] = await db
		.select({ n: sql<number>`count(*)` })
		.from(t.chatParticipants)
		.innerJoin(t.chats, eq(t.chats.id, t.chatParticipants.chatId))
		.where(
			and(
				eq(t.chatParticipants.userId, agentId),
				eq(t.chatParticipants.role, 'agent'),
				isNull(t.chatParticipants.leftAt),
				eq(t.chats.status, 'active')
			)
		);
	return row?.n ?? 0;
}
