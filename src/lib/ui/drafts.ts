// Unsent text kept in this browser (issue 16 "nothing lost"): per person and chat, so a switch
// to another chat, a reload or a dropped connection never loses a word; cleared on send.
// Storage may be unavailable (private modes, quota): then drafts live only as long as the page.

const PREFIX = 'parley.draft.';

/** One key per person and chat: two agents sharing a browser never see each other's drafts. */
export const draftKey = (userId: string, chatId: string) => `${PREFIX}${userId}.${chatId}`;

export function loadDraft(key: string): string {
	try {
		return localStorage.getItem(key) ?? '';
	} catch {
		return '';
	}
}

/** Saves the text, or forgets the draft when it is empty. */
export function saveDraft(key: string, text: string) {
	try {
		if (text) localStorage.setItem(key, text);
		else localStorage.removeItem(key);
	} catch {
		// Nowhere to keep it: the composer still holds the text while the page lives.
	}
}
