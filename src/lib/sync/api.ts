import type { ChatStatus, Presence, Role, Routing } from '$lib/core/types';

// The browser's HTTP client for /api (README "API"): JSON in and out, same-origin cookies,
// and every refusal turned into an ApiError carrying the server's code and message.

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

export class ApiError extends Error {
	readonly status: number;
	readonly code: string;
	constructor(status: number, code: string, message: string) {
		super(message);
		this.status = status;
		this.code = code;
	}
}

const FALLBACK: Record<number, string> = {
	401: 'You are not signed in.',
	403: 'That is not allowed.',
	404: 'That could not be found.',
	409: 'Someone else changed this first.',
	429: 'Too many attempts. Wait a few minutes and try again.'
};

/** One JSON call to /api; a refusal becomes an ApiError (used by the other *-api modules). */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, {
			method,
			credentials: 'same-origin',
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body)
		});
	} catch {
		throw new ApiError(0, 'NETWORK', 'Cannot reach Parley. Check your connection and try again.');
	}
	const data = await res.json().catch(() => null);
	if (res.ok) return data as T;
	const err = data?.error;
	throw new ApiError(
		res.status,
		typeof err?.code === 'string' ? err.code : `HTTP_${res.status}`,
		typeof err?.message === 'string' && err.message
			? sentence(err.message)
			: (FALLBACK[res.status] ?? 'Something went wrong on our side. Try again in a moment.')
	);
}

/** "wrong email or password" → "Wrong email or password." */
export function sentence(text: string): string {
	const t = text.trim();
	return t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?…]$/.test(t) ? '' : '.');
}

/** Which of `fields` a 400 message names ("the message names the field"), earliest first. */
export function fieldOf<F extends string>(message: string, fields: readonly F[]): F | null {
	let best: { field: F; at: number } | null = null;
	for (const field of fields) {
		const at = message.search(new RegExp(`\\b${field}\\b`, 'i'));
		if (at >= 0 && (!best || at < best.at)) best = { field, at };
	}
	return best?.field ?? null;
}

export const api = {
	me: () => request<{ user: Me }>('GET', '/api/me'),
	login: (email: string, password: string) =>
		request<{ user: Me }>('POST', '/api/auth/login', { email, password }),
	logout: () => request<{ ok: true }>('POST', '/api/auth/logout'),
	topics: () => request<{ topics: Topic[] }>('GET', '/api/topics'),
	setPresence: (status: Presence) =>
		request<{ presence: Presence }>('PUT', '/api/agents/me/presence', { status }),
	startChat: (input: { name: string; email: string; topic: string }) =>
		request<StartedChat>('POST', '/api/chats', input),
	chat: (id: string) => request<{ chat: ChatInfo; you: Identity }>('GET', `/api/chats/${enc(id)}`),
	accept: (id: string) => request<{ chatId: string; doc: string }>('POST', `/api/chats/${enc(id)}/accept`),
	decline: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/decline`),
	end: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/end`),
	leave: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/leave`),
	acceptConference: (requestId: string) =>
		request<{ chatId: string; doc: string }>('POST', `/api/conference-requests/${enc(requestId)}/accept`),
	declineConference: (requestId: string) =>
		request<{ status: string }>('POST', `/api/conference-requests/${enc(requestId)}/decline`),
	dismissBanner: (id: string) => request<unknown>('POST', `/api/banners/${enc(id)}/dismiss`)
};

/** A path segment, encoded. */
export function enc(id: string) {
	return encodeURIComponent(id);
}
