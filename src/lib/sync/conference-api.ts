import type { Presence } from '$lib/core/types';
import { enc, request } from './api';

// The console's calls for conferencing (C1–C8, C15) and transfer (L4, C14): README "API".

/** One row of the conference / transfer dialog's directory (GET /api/agents). */
export interface DirectoryAgent {
	id: string;
	name: string;
	presence: Presence;
	skills: string[];
	capacity: number;
	activeChats: number;
}

/** A request's one target (C3): a named agent, or every available agent with a skill (C2). */
export type Target = { agentId: string } | { skill: string };

export interface SentRequestResult {
	requestId: string;
	expiresAt: number;
	offeredTo: number;
}

export const conferenceApi = {
	agents: () => request<{ agents: DirectoryAgent[] }>('GET', '/api/agents'),
	/** C1–C3: ask another agent (or a skill) to join this chat. */
	request: (chatId: string, target: Target, note?: string) =>
		request<SentRequestResult>('POST', `/api/chats/${enc(chatId)}/conference-requests`, { ...target, ...(note ? { note } : {}) }),
	/** L4/C14: hand this chat over to another agent (or a skill). */
	transfer: (chatId: string, target: Target, note?: string) =>
		request<SentRequestResult>('POST', `/api/chats/${enc(chatId)}/transfer`, { ...target, ...(note ? { note } : {}) }),
	/** C15: the requester takes its pending request back. */
	cancel: (requestId: string) => request<unknown>('POST', `/api/conference-requests/${enc(requestId)}/cancel`)
};
