import type { ChatRating } from '$lib/core/types';
import type { ChatInfo, Identity, StartedChat, Topic } from './api';
import { enc, request } from './request';

// The customer page's calls to /api (README "API"); `api` (api.ts) has these and the staff's.
export const chatApi = {
	topics: () => request<{ topics: Topic[]; replyByEmail: boolean }>('GET', '/api/topics'),
	startChat: (input: { name: string; email: string; topic: string }) =>
		request<StartedChat>('POST', '/api/chats', input),
	chat: (id: string) => request<{ chat: ChatInfo; you: Identity }>('GET', `/api/chats/${enc(id)}`),
	end: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/end`),
	/** B8: nobody can answer: leave a message and an email for the reply. */
	leaveMessage: (id: string, input: { email: string; text: string }) =>
		request<{ ok: true; leftMessageAt: number; emailed: boolean }>('POST', `/api/chats/${enc(id)}/leave-message`, input),
	/** B8: once, after the end: 1–5 and a comment. */
	rate: (id: string, input: { score: number; comment: string }) =>
		request<{ rating: ChatRating }>('POST', `/api/chats/${enc(id)}/rating`, input),
	/** B8: the transcript to the customer's email (`to` is shown masked). */
	emailTranscript: (id: string) => request<{ ok: true; to: string }>('POST', `/api/chats/${enc(id)}/transcript-email`)
};
