import type { AssignedChat } from '$lib/core/types';

// Chats kept for wrap-up (issue 16: an ended chat stays open read-only until the agent closes it)
// outlive a reload: the list is kept in this browser, per agent. What is read back is checked
// field by field (storage is writable by anything on the page's origin), and a broken entry is
// dropped, never shown.

const key = (userId: string) => `parley.wrapups.${userId}`;

function isAssignedChat(v: unknown): v is AssignedChat {
	const c = v as Partial<AssignedChat> | null;
	return (
		typeof c === 'object' && c !== null &&
		typeof c.chatId === 'string' && c.chatId.length > 0 && c.chatId.length <= 64 &&
		typeof c.topic === 'string' && typeof c.customerName === 'string' && typeof c.joinedAt === 'number'
	);
}

export function loadWrapUps(userId: string): AssignedChat[] {
	try {
		const raw: unknown = JSON.parse(localStorage.getItem(key(userId)) ?? '[]');
		return Array.isArray(raw) ? raw.filter(isAssignedChat).slice(0, 50) : [];
	} catch {
		return [];
	}
}

export function saveWrapUps(userId: string, chats: readonly AssignedChat[]) {
	try {
		if (chats.length) localStorage.setItem(key(userId), JSON.stringify(chats));
		else localStorage.removeItem(key(userId));
	} catch {
		// Nowhere to keep them: they stay for as long as the page lives.
	}
}
