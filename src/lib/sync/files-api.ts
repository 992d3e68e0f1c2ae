import { enc, request } from './request';

// B9 (README "Attachments"): what a chat's files are, and where to fetch them.

/** One uploaded file as the API says it (`size` in bytes; `type` read from its content). */
export interface FileInfo {
	id: string;
	name: string;
	type: string;
	size: number;
	agentsOnly?: boolean;
}

export const filesApi = {
	list: (chatId: string) => request<{ attachments: FileInfo[] }>('GET', `/api/chats/${enc(chatId)}/attachments`)
};

/** The file's bytes (an image inline, anything else a download), or its thumbnail (images only). */
export const fileUrl = (chatId: string, id: string, thumb = false) =>
	`/api/chats/${enc(chatId)}/attachments/${enc(id)}${thumb ? '?thumb=1' : ''}`;
