import type { ChatInfo, Identity, StartedChat, Topic } from './api';
import { enc, request } from './request';

// The customer page's calls to /api (README "API"); `api` (api.ts) has these and the staff's.
export const chatApi = {
	topics: () => request<{ topics: Topic[] }>('GET', '/api/topics'),
	startChat: (input: { name: string; email: string; topic: string }) =>
		request<StartedChat>('POST', '/api/chats', input),
	chat: (id: string) => request<{ chat: ChatInfo; you: Identity }>('GET', `/api/chats/${enc(id)}`),
	end: (id: string) => request<unknown>('POST', `/api/chats/${enc(id)}/end`)
};
