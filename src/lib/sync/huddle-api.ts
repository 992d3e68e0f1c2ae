import { enc, request } from './request';

/** B6: one live chat of the supervisor's teams (GET /api/supervisor/chats). */
export interface SupervisedChat {
	id: string;
	status: 'waiting' | 'active';
	topic: string;
	customerName: string;
	createdAt: number;
	/** When its first agent joined (ms since epoch), or null while it waits. */
	answeredAt: number | null;
	/** How long it waited for its first agent, or has waited so far (ms). */
	queueMs: number;
	agents: { id: string; name: string }[];
	/** The supervisor itself is in it. */
	joined: boolean;
}

// The console's calls for the agents' huddle (B3, B6): README "The agents' huddle".
export const huddleApi = {
	/** B6: the live chats of my teams. */
	supervisedChats: () => request<{ chats: SupervisedChat[] }>('GET', '/api/supervisor/chats'),
	/** B6: join a chat I watch: a conference request addressed to myself (accepted like any offer). */
	askToJoin: (chatId: string, selfId: string) =>
		request<{ requestId: string; expiresAt: number }>('POST', `/api/chats/${enc(chatId)}/conference-requests`, { agentId: selfId }),
	/** B3: sends the shared draft, as `text` (what the sender sees), as one message by the sender. */
	sendDraft: (chatId: string, text: string) => request<{ messageId: string }>('POST', `/api/chats/${enc(chatId)}/draft/send`, { text })
};
