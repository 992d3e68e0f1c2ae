import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { AgentFacts, ChatFacts, ConferenceRequest } from '../../../src/lib/core/conference/types';
import type { Facts, Tables } from '../../storage/facts';
import { agentLoads } from '../chats/agent-loads';
import { DomainError } from '../context';

/** The facts the conference rules need about agents (C1: configuration, C2: presence, load). */
export async function loadAgentFacts(store: Facts, roles: readonly ('agent' | 'supervisor')[] = ['agent']): Promise<AgentFacts[]> {
	const { db, t } = store;
	const loads = new Map((await agentLoads(store)).map((l) => [l.id, l]));
	const rows = await db
		.select({ user: t.users, enabled: t.chatConfigurations.conferenceEnabled })
		.from(t.users)
		.leftJoin(t.chatConfigurations, eq(t.chatConfigurations.id, t.users.chatConfigurationId))
		.where(inArray(t.users.role, [...roles]));
	return rows.map(({ user, enabled }) => ({
		id: user.id,
		name: user.name,
		presence: user.presence,
		skills: user.skills,
		capacity: user.capacity,
		activeChats: loads.get(user.id)?.activeChats ?? 0,
		conferenceEnabled: enabled ?? false
	}));
}

export async function agentFactsOf(store: Facts, agentId: string): Promise<AgentFacts> {
	// B6: supervisors too (they join chats and work in them like agents).
	const facts = (await loadAgentFacts(store, ['agent', 'supervisor'])).find((a) => a.id === agentId);
	if (!facts) throw new DomainError('FORBIDDEN', 'only agents may do this');
	return facts;
}

/** A chat's status and the agents in it now, longest-attending first. */
export async function loadChatFacts(store: Facts, chatId: string): Promise<ChatFacts & { topicId: string; customerName: string }> {
	const { db, t } = store;
	const [chat] = await db.select().from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	const p = t.chatParticipants;
	const agents = await db
		.select({ id: p.userId })
		.from(p)
		.where(and(eq(p.chatId, chatId), eq(p.role, 'agent'), isNull(p.leftAt)))
		.orderBy(asc(p.joinedAt), asc(p.userId));
	return {
		id: chat.id,
		status: chat.status,
		routing: chat.routing,
		agentIds: agents.map((a) => a.id),
		topicId: chat.topicId,
		customerName: chat.customerName
	};
}

type RequestRow = Tables['conferenceRequests']['$inferSelect'];

export function toRequest(row: Omit<RequestRow, 'decidedAt' | 'decidedBy' | 'reason' | 'kind'> & { kind?: RequestRow['kind'] }, offers: { agentId: string; declined: boolean }[]): ConferenceRequest {
	return {
		id: row.id,
		kind: row.kind ?? 'conference',
		chatId: row.chatId,
		requesterId: row.requesterId,
		target: row.targetAgentId ? { kind: 'agent', agentId: row.targetAgentId } : { kind: 'skill', skill: row.targetSkill ?? '' },
		status: row.status,
		createdAt: row.createdAt,
		expiresAt: row.expiresAt,
		offers
	};
}

export async function loadRequest(store: Facts, requestId: string): Promise<ConferenceRequest> {
	const { db, t } = store;
	const [row] = await db.select().from(t.conferenceRequests).where(eq(t.conferenceRequests.id, requestId)).limit(1);
	if (!row) throw new DomainError('NOT_FOUND', 'no such conference request');
	const offers = await db
		.select({ agentId: t.conferenceOffers.agentId, declined: t.conferenceOffers.declined })
		.from(t.conferenceOffers)
		.where(eq(t.conferenceOffers.requestId, requestId));
	return toRequest(row, offers);
}

/** Pending requests, optionally of one chat or one requester. */
export async function pendingRequests(store: Facts, where: { chatId?: string; requesterId?: string } = {}): Promise<ConferenceRequest[]> {
	const { db, t } = store;
	const r = t.conferenceRequests;
	const conds = [eq(r.status, 'pending')];
	if (where.chatId) conds.push(eq(r.chatId, where.chatId));
	if (where.requesterId) conds.push(eq(r.requesterId, where.requesterId));
	const rows = await db.select().from(r).where(and(...conds));
	if (rows.length === 0) return [];
	const offers = await db
		.select()
		.from(t.conferenceOffers)
		.where(inArray(t.conferenceOffers.requestId, rows.map((row) => row.id)));
	return rows.map((row) => toRequest(row, offers.filter((o) => o.requestId === row.id)));
}
