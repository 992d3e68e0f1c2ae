import { untrack } from 'svelte';
import type { AssignedChat } from '$lib/core/types';
import type { AgentDoc } from '$lib/sync/agent-doc.svelte';

// A chat that leaves my list has ended, or I left it, or I transferred it (L4): say which,
// instead of letting it just vanish. One that ended by someone else's hand (the customer, a
// colleague, the server) is kept for wrap-up (issue 16): it stays open, read-only, until I close
// it, so nobody is yanked to another chat mid-sentence. Call inside a component (it sets up effects).

/** How long after "Leave" or "End" a chat's removal still counts as my doing. */
const MINE_WINDOW_MS = 30_000;

export function useDepartures(inbox: AgentDoc, say: (text: string) => void, wrapUp: (chat: AssignedChat) => void) {
	const leaving = new Map<string, number>();
	const ending = new Map<string, number>();
	/** Chats I asked to transfer, and when; a transfer banner (its refusal) clears the mark. */
	const transferring = new Map<string, number>();
	let known = new Map<string, AssignedChat>();
	const recent = (marks: Map<string, number>, id: string) => Date.now() - (marks.get(id) ?? 0) < MINE_WINDOW_MS;

	$effect(() => {
		const now = new Map(inbox.chats.map((c) => [c.chatId, c]));
		if (inbox.live.synced) {
			for (const [id, chat] of known) {
				if (now.has(id)) continue;
				const name = chat.customerName;
				if (transferring.has(id)) untrack(() => say(`You transferred the chat with ${name}.`));
				else if (recent(leaving, id)) untrack(() => say(`You left the chat with ${name}.`));
				else if (recent(ending, id)) untrack(() => say(`The chat with ${name} has ended.`));
				else untrack(() => wrapUp(chat));
				leaving.delete(id);
				ending.delete(id);
				transferring.delete(id);
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
		/** I pressed End Conversation on this chat. */
		ending: (chatId: string) => ending.set(chatId, Date.now()),
		/** I sent a transfer request for this chat. */
		transferring: (chatId: string) => transferring.set(chatId, Date.now())
	};
}
