import { readMessage, UNREADABLE } from '$lib/core/display-message';
import type { AssignedChat } from '$lib/core/types';
import { ChatDoc } from '$lib/sync/chat-doc.svelte';

// Keeps one live `chat/<id>` document per chat the agent is in — several at once, so the
// list shows last lines and unread dots — and destroys those that left the `chats` map.
export class OpenChats {
	docs = $state.raw<Record<string, ChatDoc>>({});
	/** How many messages of each chat the agent has seen (had on screen). */
	#seen = $state<Record<string, number>>({});

	/** Matches the open documents to the agent's current chats. */
	sync(chats: readonly AssignedChat[]) {
		const wanted = new Set(chats.map((c) => c.chatId));
		const next: Record<string, ChatDoc> = {};
		let changed = false;
		for (const [id, doc] of Object.entries(this.docs)) {
			if (wanted.has(id)) next[id] = doc;
			else {
				doc.destroy();
				changed = true;
			}
		}
		for (const id of wanted) {
			if (!next[id]) {
				next[id] = new ChatDoc(id);
				changed = true;
			}
		}
		if (changed) this.docs = next;
	}

	markSeen(chatId: string) {
		const n = this.docs[chatId]?.messages.length ?? 0;
		if (this.#seen[chatId] !== n) this.#seen[chatId] = n;
	}

	/** How many messages from customers and colleagues came since the agent last looked. */
	unreadCount(chatId: string, selfId: string): number {
		const messages = this.docs[chatId]?.messages ?? [];
		return messages.slice(this.#seen[chatId] ?? 0).filter((value) => {
			const m = readMessage(value, '');
			return m.kind === 'text' && m.author.id !== selfId;
		}).length;
	}

	/** The list's preview of a chat; stored items are read as the log reads them (T2). */
	lastLine(chatId: string, selfId: string): string {
		const messages = this.docs[chatId]?.messages ?? [];
		if (messages.length === 0) return '';
		const last = readMessage(messages.at(-1), '');
		if (last.kind === 'unreadable') return UNREADABLE;
		if (last.kind === 'system') return last.text;
		// B9: a message of files only (a pasted screenshot) says so.
		const files = last.attachments?.length ?? 0;
		const text = last.text || (files ? `📎 ${files === 1 ? 'a file' : `${files} files`}` : '');
		return `${last.author.id === selfId ? 'You: ' : ''}${text}`;
	}

	destroyAll() {
		for (const doc of Object.values(this.docs)) doc.destroy();
		this.docs = {};
	}
}
