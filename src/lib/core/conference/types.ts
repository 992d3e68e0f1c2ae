// C1–C8, C15: the facts the conference rules decide on. Plain data, no I/O.
import type { ErrorCodes } from '../error-codes';

export type RequestStatus = 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired' | 'withdrawn';
export type RequestTarget = { kind: 'agent'; agentId: string } | { kind: 'skill'; skill: string };
export type WithdrawReason = 'another_agent_won' | 'requester_left' | 'chat_ended';

/** A conference request adds an agent; a transfer request (L4) hands the chat over. */
export type RequestKind = 'conference' | 'transfer';

export interface ConferenceRequest {
	id: string;
	kind: RequestKind;
	chatId: string;
	requesterId: string;
	target: RequestTarget;
	status: RequestStatus;
	createdAt: number;
	expiresAt: number;
	/** Agents the request was offered to, and whether each declined. */
	offers: { agentId: string; declined: boolean }[];
}

export interface AgentFacts {
	id: string;
	name: string;
	presence: 'available' | 'busy' | 'offline';
	skills: readonly string[];
	capacity: number;
	activeChats: number;
	conferenceEnabled: boolean;
}

export interface ChatFacts {
	id: string;
	status: 'waiting' | 'active' | 'ended';
	/** How the chat's topic routes (C14 needs it for transfers). */
	routing?: 'omni' | 'button';
	/** Agents in the chat now, oldest join first. */
	agentIds: readonly string[];
}

/** The rules' refusals: API error codes (src/lib/core/error-codes.ts). */
export type ConferenceRefusal = ErrorCodes<
	| 'CONFERENCE_DISABLED'
	| 'NOT_PARTICIPANT'
	| 'CHAT_NOT_ACTIVE'
	| 'CHAT_ENDED'
	| 'ALREADY_IN_CHAT'
	| 'TARGET_UNAVAILABLE'
	| 'NO_AGENT_AVAILABLE'
	| 'DUPLICATE_REQUEST'
	| 'NOT_OFFERED'
	| 'NOT_REQUESTER'
	| 'AT_CAPACITY'
	| 'TAKEN'
	| 'EXPIRED'
	| 'WITHDRAWN'
	| 'CANCELLED'
	| 'DECLINED'
	| 'LAST_AGENT'
	| 'NOT_LAST_AGENT'
	| 'TRANSFER_NEEDS_OMNI'
>;
