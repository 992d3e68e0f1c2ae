import { untrack } from 'svelte';
import type { AgentDoc } from '$lib/sync/agent-doc.svelte';

// A chat that leaves my list has ended, or I left it, or I transferred it (L4): say which,
// instead of letting it just vanish. Call inside a component (it sets up effects).

/** How long after "Leave" a chat's removal still counts as my doing. */
const LEAVE_WINDOW_MS = 30_000;

export function useDepartures(inbox: AgentDoc, say: (text: string) => void) {
	const leaving = new Map<string, number>();
	/** Chats I asked to transfer, and when; a transfer banner (its refusal) clears the mark. */
	const transferring = new Map<string, number>();
	let known = new Map<string, string>();

	$effect(() => {
		const now = new Map(inbox.chats.map((c) => [c.chatId, c.customerName]));
		if (inbox.live.synced) {
			for (const [id, name] of known) {
				if (now.has(id)) continue;
				const left = Date.now() - (leaving.get(id) ?? 0) < LEAVE_WINDOW_MS;
				const text = transferring.has(id)
					? `You transferred the chat with ${name}.`
					: left
						? `You left the chat with ${name}.`
						: `The chat with ${name} has ended.`;
				leaving.delete(id);
				transferring.delete(id);
				untrack(() => say(text));
			}
		}
		known = now;
	});

	$effect(() => {
		for (const b of inbox.banners) {
			const mark = transferring.get(b.chatId);
			if (mark !== undefined && b.at >= mark && /transfer request/.test(b.text)) transferring.delete(b.chatId);
		}
	});

	return {
		/** I pressed Leave Conversation on this chat. */
		leaving: (chatId: string) => leaving.set(chatId, Date.now()),
		/** I sent a transfer request for this chat. */
		transferring: (chatId: string) => transferring.set(chatId, Date.now())
	};
}
