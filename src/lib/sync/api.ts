import type { ChatStatus, Presence, Role, Routing } from '$lib/core/types';
import { chatApi } from './chat-api';
import { enc, request } from './request';

export { ApiError, enc, fieldOf, request, sentence, type ApiErrorCode } from './request';

// The browser's calls to /api (README "API") and the shapes they answer with. The HTTP client is
// request.ts; the customer page's calls are chat-api.ts, so that it loads none of the staff's.

export interface Identity {
	id: string;
	role: 'customer' | 'agent';
	name: string;
}

export interface Me {
	id: string;
	email: string;
	name: string;
	role: Role;
	permissions: string[];
	skills: string[];
	capacity: number;
	presence: Presence;
	/** The chat configuration assigned to this agent (C1), or null (staff without one). */
	chatConfiguration: ChatConfiguration | null;
}

/** A chat configuration as the API sends it (README "API"). */
export interface ChatConfiguration {
	id: string;
	name: string;
	conferenceEnabled: boolean;
	requestTimeoutSec: number;
}

export interface Topic {
	id: string;
	name: string;
	skill: string;
	routing: Routing;
	/** Why nobody could answer a chat started now (issue 15: the start form warns); null: someone can. */
	noAgent: 'closed' | 'none_online' | null;
}

export interface ChatInfo {
	id: string;
	status: ChatStatus;
	topic: string;
	routing: Routing;
	customerName: string;
	createdAt: number;
	endedAt: number | null;
}

export interface StartedChat {
	chatId: string;
	doc: string;
	token: string;
	customer: Identity;
}

export const api = {
	...chatApi,
	me: () => request<{ user: Me }>('GET', '/api/me'),
	login: (email: string, password: string) =>
		request<{ user: Me }>('POST', '/api/auth/login', { email, password }),
	logout: () => request<{ ok: true }>('POST', '/api/auth/logout'),
	setPresence: (status: Presence) =>
		request<{ presence: Presence }>('PUT', '/api/agents/me/presence', { status }),
	accept: (id: string) => request<{ chatId: string; doc: string }>('POST', `/api/chats/${enc(id)}/accept`),
	decline: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/decline`),
	leave: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/leave`),
	acceptConference: (requestId: string) =>
		request<{ chatId: string; doc: string }>('POST', `/api/conference-requests/${enc(requestId)}/accept`),
	declineConference: (requestId: string, reason?: string) =>
		request<{ status: string }>('POST', `/api/conference-requests/${enc(requestId)}/decline`, reason ? { reason } : undefined),
	dismissBanner: (id: string) => request<unknown>('POST', `/api/banners/${enc(id)}/dismiss`)
};
