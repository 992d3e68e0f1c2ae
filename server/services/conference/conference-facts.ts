import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import type { AgentFacts, ChatFacts, ConferenceRequest } from '../../../src/lib/core/conference/types';
import type { Db } from '../../db/client';
import { chatConfigurations, chatParticipants, chats, conferenceOffers, conferenceRequests, users } from '../../db/schema';
import { agentLoads } from '../chats/agent-loads';
import { DomainError } from '../context';

type Reader = Pick<Db, 'select'>;

/** The facts the conference rules need about agents (C1: configuration, C2: presence, load). */
export function loadAgentFacts(db: Db): AgentFacts[] {
	const loads = new Map(agentLoads(db).map((l) => [l.id, l]));
	const rows = db
		.select({ user: users, enabled: chatConfigurations.conferenceEnabled })
		.from(users)
		.leftJoin(chatConfigurations, eq(chatConfigurations.id, users.chatConfigurationId))
		.where(eq(users.role, 'agent'))
		.all();
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

export function agentFactsOf(db: Db, agentId: string): AgentFacts {
	const facts = loadAgentFacts(db).find((a) => a.id === agentId);
	if (!facts) throw new DomainError('FORBIDDEN', 'only agents may do this');
	return facts;
}

/** A chat's status and the agents in it now, longest-attending first. */
export function loadChatFacts(db: Reader, chatId: string): ChatFacts & { topicId: string; customerName: string } {
	const chat = db.select().from(chats).where(eq(chats.id, chatId)).get();
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
	const agents = db
		.select({ id: chatParticipants.userId })
		.from(chatParticipants)
		.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.role, 'agent'), isNull(chatParticipants.leftAt)))
		.orderBy(asc(chatParticipants.joinedAt), asc(chatParticipants.userId))
		.all();
	return {
		id: chat.id,
		status: chat.status,
		routing: chat.routing,
		agentIds: agents.map((a) => a.id),
		topicId: chat.topicId,
		customerName: chat.customerName
	};
}

type RequestRow = typeof conferenceRequests.$inferSelect;

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

export function loadRequest(db: Reader, requestId: string): ConferenceRequest {
	const row = db.select().from(conferenceRequests).where(eq(conferenceRequests.id, requestId)).get();
	if (!row) throw new DomainError('NOT_FOUND', 'no such conference request');
	const offers = db
		.select({ agentId: conferenceOffers.agentId, declined: conferenceOffers.declined })
		.from(conferenceOffers)
		.where(eq(conferenceOffers.requestId, requestId))
		.all();
	return toRequest(row, offers);
}

/** Pending requests, optionally of one chat or one requester. */
export function pendingRequests(db: Reader, where: { chatId?: string; requesterId?: string } = {}): ConferenceRequest[] {
	const conds = [eq(conferenceRequests.status, 'pending')];
	if (where.chatId) conds.push(eq(conferenceRequests.chatId, where.chatId));
	if (where.requesterId) conds.push(eq(conferenceRequests.requesterId, where.requesterId));
	const rows = db.select().from(conferenceRequests).where(and(...conds)).all();
	if (rows.length === 0) return [];
	const offers = db
		.select()
		.from(conferenceOffers)
		.where(inArray(conferenceOffers.requestId, rows.map((r) => r.id)))
		.all();
	return rows.map((r) => toRequest(r, offers.filter((o) => o.requestId === r.id)));
}
