import { enc, request } from './request';

// The console's calls for the agents' huddle (B3, B6): README "The agents' huddle".
export const huddleApi = {
	/** B3: sends the shared draft, as `text` (what the sender sees), as one message by the sender. */
	sendDraft: (chatId: string, text: string) => request<{ messageId: string }>('POST', `/api/chats/${enc(chatId)}/draft/send`, { text })
};
