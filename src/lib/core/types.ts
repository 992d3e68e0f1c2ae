// Shapes shared by the browser and the server. Plain data only.
import type { QueueStatus } from './queue';
export type Role = 'customer' | 'agent' | 'supervisor' | 'admin' | 'auditor';
export type Presence = 'available' | 'busy' | 'offline';
export type Routing = 'omni' | 'button';
export type ChatStatus = 'waiting' | 'active' | 'ended';

export const PRESENCES: readonly Presence[] = ['available', 'busy', 'offline'];

/** Who wrote a message, as stored inside it. */
export interface Author {
	id: string;
	role: 'customer' | 'agent' | 'system';
	name: string;
}

/** One element of the `messages` array of `chat/<id>`. */
export interface ChatMessage {
	id: string;
	kind: 'text' | 'system';
	author: Author;
	text: string;
	at: number;
	/** B9: ids of files uploaded to this chat (GET /api/chats/:id/attachments/:attachmentId). */
	attachments?: string[];
}

/** The `meta` map of `chat/<id>` (written by the server). */
export interface ChatMeta {
	status?: ChatStatus;
	topic?: string;
	routing?: Routing;
	/** B8: while waiting, the queue position, estimate and whether nobody can answer (core/queue.ts). */
	queue?: QueueStatus;
	/** B8: the customer left a message (ms): agents pick it up, replies go by email. */
	leftMessageAt?: number;
	/** B8: the customer's rating, once the chat has ended. */
	rating?: ChatRating;
}

/** B8: a customer's rating of its ended chat. */
export interface ChatRating {
	/** 1 (bad) to 5 (great). */
	score: number;
	/** Plain text, possibly empty. */
	comment: string;
	at: number;
}

/** Who an awareness state belongs to: the server sets it (B1), so it can be trusted. */
export interface AwarenessUser {
	id: string;
	name: string;
	role: string;
}

/** One value of the `participants` map of `chat/<id>`, keyed by user id. */
export interface Participant {
	id: string;
	role: 'customer' | 'agent';
	name: string;
	joinedAt: number;
	leftAt?: number;
}

/** An offer in an agent's `agent/<id>` document (`offers` map, keyed by offer id). */
export interface ChatOffer {
	id: string;
	kind: 'chat';
	chatId: string;
	topic: string;
	routing: Routing;
	customerName: string;
	/** T4: false when the customer only typed an email in use (no earlier chats are shown). */
	verified?: boolean;
	at: number;
}

/** A conference request offered to an agent (`offers` map of `agent/<id>`, keyed by request id). */
export interface ConferenceOffer {
	id: string;
	kind: 'conference';
	requestId: string;
	chatId: string;
	topic: string;
	customerName: string;
	requesterName: string;
	/** Join the chat (conference) or take it over (transfer, L4). */
	request: 'conference' | 'transfer';
	target: 'agent' | 'skill';
	skill?: string;
	at: number;
	expiresAt: number;
	/** Issue 16: the requester's note, if one was given (one line, at most 300 characters). */
	note?: string;
	/** Issue 16: the customer's latest message when the request was sent (text cut to 200 characters). */
	lastCustomerMessage?: { text: string; at: number };
}

/** One value of the `offers` map of `agent/<id>`. */
export type Offer = ChatOffer | ConferenceOffer;

/** A pending request the agent sent (`requests` map of `agent/<id>`), shown as a chip with Cancel. */
export interface SentRequest {
	id: string;
	chatId: string;
	/** "Grace" or "all agents with billing". */
	targetLabel: string;
	at: number;
	expiresAt: number;
}

/** A banner above one chat's log in the requester's console (`banners` map of `agent/<id>`). */
export interface Banner {
	id: string;
	chatId: string;
	/** `rated` (B8): the customer rated a chat the agent was in; the console shows it once. */
	kind: 'declined' | 'expired' | 'withdrawn' | 'cancelled' | 'rated';
	text: string;
	at: number;
}

/**
 * The `config` map of `agent/<id>`, one key per field: the agent's chat configuration as it is
 * now (C1, issue 16 "live configuration"). The server writes it in the same decision as an
 * admin's change, so an open console follows at once. Empty until the first change after the
 * document was created (the console then reads GET /api/me).
 */
export interface AgentConfig {
	/** The configuration's id, or null when the agent has none (conferencing is then off). */
	configurationId: string | null;
	/** The configuration's name ("Default"), or null. */
	name: string | null;
	/** Enable Chat Conference (C1). */
	conferenceEnabled: boolean;
	/** Seconds a conference or transfer request waits for an answer (C15), or null without a configuration. */
	requestTimeoutSec: number | null;
	/** When the server wrote it (ms since epoch). */
	at: number;
}

/** An entry of the `chats` map of `agent/<id>`: the chats this agent is in now. */
export interface AssignedChat {
	chatId: string;
	topic: string;
	customerName: string;
	/** T4: false when the customer only typed an email in use (no earlier chats are shown). */
	verified?: boolean;
	joinedAt: number;
	/** Moves when this agent's workspace of records may have changed (C11–C13). */
	workspaceAt?: number;
}

/** One element of the `whispers` array of `chat/<id>/agents` (B2): a note only agents see. */
export interface Whisper {
	id: string;
	author: Author;
	text: string;
	at: number;
	/** B9: ids of files uploaded to this chat for agents only. */
	attachments?: string[];
}
