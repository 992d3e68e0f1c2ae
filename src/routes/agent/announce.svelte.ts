import { untrack } from 'svelte';
import { readMessage } from '$lib/core/display-message';
import type { AssignedChat } from '$lib/core/types';
import type { ChatDoc } from '$lib/sync/chat-doc.svelte';

// New messages from others, in any open chat, put into words for an ARIA live region.
// Messages already there when a chat first synced are history, not news; items that cannot be
// read (T2) are not announced.
export function useAnnouncements(
	docs: () => Record<string, ChatDoc>,
	chats: () => readonly AssignedChat[],
	selfId: () => string,
	/** Each new message from a customer, as it arrives (issue 16: alerts). */
	oncustomer?: (chatId: string, name: string, text: string) => void
) {
	const state = $state({ text: '' });
	const counted = new Map<string, number>();

	$effect(() => {
		const me = selfId();
		const names = new Map(chats().map((c) => [c.chatId, c.customerName]));
		const news: string[] = [];
		for (const [id, doc] of Object.entries(docs())) {
			const n = doc.messages.length;
			const before = counted.get(id);
			if (before === undefined) {
				if (doc.live.synced) counted.set(id, n);
				continue;
			}
			// After a fresh re-sync the array refills from empty: keep the high-water mark.
			counted.set(id, Math.max(before, n));
			for (const value of doc.messages.slice(before)) {
				const m = readMessage(value, '');
				if (m.kind === 'unreadable' || m.author.id === me) continue;
				const where = names.get(id) ?? 'a chat';
				if (m.kind === 'system') news.push(`${where}: ${m.text}`);
				else if (m.author.role === 'customer') {
					news.push(`New message from ${m.author.name}: ${m.text}`);
					const text = m.text;
					const name = m.author.name;
					untrack(() => oncustomer?.(id, name, text));
				}
				else news.push(`${m.author.name}, in the chat with ${where}: ${m.text}`);
			}
		}
		for (const id of counted.keys()) if (!(id in docs())) counted.delete(id);
		if (news.length) state.text = news.join('. ');
	});

	return state;
}
