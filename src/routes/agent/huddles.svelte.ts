import type { AssignedChat } from '$lib/core/types';
import { mentions } from '$lib/core/whisper-policy';
import { HuddleDoc } from '$lib/sync/huddle-doc.svelte';

// B2: one live huddle (`chat/<id>/agents`) per chat the agent is in, like OpenChats keeps the
// chats, so that a whisper that mentions the agent reaches it whichever chat is on screen.

export class Huddles {
	/** `self`: who I am (names the draft text I type). */
	readonly #self?: { id: string; name: string };
	constructor(self?: { id: string; name: string }) {
		this.#self = self;
	}

	docs = $state.raw<Record<string, HuddleDoc>>({});
	/** How many whispers of each chat the agent has had on screen. */
	#seen = $state<Record<string, number>>({});

	sync(chats: readonly AssignedChat[]) {
		const wanted = new Set(chats.map((c) => c.chatId));
		const next: Record<string, HuddleDoc> = {};
		let changed = false;
		for (const [id, doc] of Object.entries(this.docs)) {
			if (wanted.has(id)) next[id] = doc;
			else (doc.destroy(), (changed = true));
		}
		for (const id of wanted) if (!next[id]) ((next[id] = new HuddleDoc(id, this.#self && { id: this.#self.id, name: this.#self.name, role: 'agent' })), (changed = true));
		if (changed) this.docs = next;
	}

	markSeen(chatId: string) {
		const n = this.docs[chatId]?.whispers.length ?? 0;
		if (this.#seen[chatId] !== n) this.#seen[chatId] = n;
	}

	/** The chats with whispers by others that mention me, not yet on screen, and how many. */
	unseenMentions(me: { id: string; name: string }): { chatId: string; count: number; by: string }[] {
		const out = [];
		for (const [chatId, doc] of Object.entries(this.docs)) {
			const found = doc.whispers.slice(this.#seen[chatId] ?? 0).filter((w) => w.author?.id !== me.id && mentions(w, me.name));
			if (found.length) out.push({ chatId, count: found.length, by: found.at(-1)!.author?.name ?? '?' });
		}
		return out;
	}

	destroyAll() {
		for (const doc of Object.values(this.docs)) doc.destroy();
		this.docs = {};
	}
}
