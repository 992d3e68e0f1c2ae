// Short notes in the corner about chats the agent is not looking at (issue 16 "banners belong
// to their chat"): a decline for another chat, a chat that ended or was taken. Each names its
// chat; it fades after a while (the chat list keeps a badge), or the agent dismisses it.

export interface Toast {
	id: number;
	text: string;
	tone: 'warn' | 'danger' | 'ok';
	/** The chat it is about, when the agent can still open it. */
	chatId?: string;
}

/** Long enough to read twice; the badge in the chat list outlives it. */
const SHOW_MS = 12_000;
/** More than this at once is noise: the oldest go first. */
const MAX = 4;

export class Toasts {
	items = $state.raw<Toast[]>([]);
	#next = 1;
	#timers = new Map<number, ReturnType<typeof setTimeout>>();

	push(text: string, tone: Toast['tone'] = 'warn', chatId?: string) {
		const toast = { id: this.#next++, text, tone, chatId };
		this.items = [...this.items, toast];
		while (this.items.length > MAX) this.dismiss(this.items[0].id);
		this.#timers.set(toast.id, setTimeout(() => this.dismiss(toast.id), SHOW_MS));
	}

	dismiss(id: number) {
		clearTimeout(this.#timers.get(id));
		this.#timers.delete(id);
		this.items = this.items.filter((t) => t.id !== id);
	}

	/** Toasts about a chat the agent just opened have said their piece. */
	dismissChat(chatId: string) {
		for (const t of this.items) if (t.chatId === chatId) this.dismiss(t.id);
	}

	destroy() {
		for (const timer of this.#timers.values()) clearTimeout(timer);
		this.#timers.clear();
	}
}
