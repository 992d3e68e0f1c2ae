import type { ChatIdentity } from '$lib/core/identity';
import type { ChatMessage, ChatRating } from '$lib/core/types';
import { enc, request } from './api';

// The context pane's calls (C9–C13): the customer's earlier chats, records and the workspace.

/** One earlier chat of the same customer the caller may read (C9). */
export interface EarlierChat {
	id: string;
	topic: string;
	status: string;
	createdAt: number;
	endedAt: number | null;
	/** Agent names. */
	agents: string[];
	messages: ChatMessage[];
	/** B8: the customer's rating of that chat, or null (older servers: absent). */
	rating?: ChatRating | null;
}

export interface History {
	/**
	 * T4: whether the customer's identity is proven. When false, the email was only typed: no
	 * earlier chats are sent at all and `reason` says why.
	 */
	verified: boolean;
	identity: ChatIdentity;
	reason?: string;
	chats: EarlierChat[];
	/** How many earlier chats the caller may not see (C10); their content is never sent. */
	withheld: number;
	/** T4: earlier chats started by typing this email without proof; never shown, only counted. */
	unverified: number;
}

export interface CrmRecord {
	id: string;
	type: string;
	title: string;
	summary: string;
}

export interface Workspace {
	/** Who may attach and remove records (C12). */
	owner: { id: string; name: string } | null;
	/** True for the owner (what is attached now); false for a snapshot taken at join (C13). */
	live: boolean;
	records: CrmRecord[];
	withheld: number;
}

export const contextApi = {
	history: (chatId: string) => request<History>('GET', `/api/chats/${enc(chatId)}/history`),
	workspace: (chatId: string) => request<Workspace>('GET', `/api/chats/${enc(chatId)}/workspace`),
	records: (q: string) =>
		request<{ records: CrmRecord[] }>('GET', `/api/records?q=${encodeURIComponent(q)}`),
	attach: (chatId: string, recordId: string) =>
		request<unknown>('POST', `/api/chats/${enc(chatId)}/records`, { recordId }),
	remove: (chatId: string, recordId: string) =>
		request<unknown>('DELETE', `/api/chats/${enc(chatId)}/records/${enc(recordId)}`)
};
