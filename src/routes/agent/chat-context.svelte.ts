import { ApiError } from '$lib/sync/api';
import { contextApi, type History, type Workspace } from '$lib/sync/context-api';

// What the context pane shows for one chat (C9–C13): the customer's earlier chats, loaded once
// when the agent opens the chat, and the agent's workspace of records, refetched whenever the
// server moves `workspaceAt` in the agent's `chats` entry (and after the agent's own changes).

export type Loadable<T> = { state: 'loading' } | { state: 'ready'; data: T } | { state: 'error'; message: string };

const failure = (e: unknown) =>
	e instanceof ApiError ? e.message : 'Could not load this. Check your connection and try again.';

export class ChatContext {
	readonly chatId: string;
	history = $state.raw<Loadable<History>>({ state: 'loading' });
	workspace = $state.raw<Loadable<Workspace>>({ state: 'loading' });
	/** The `workspaceAt` the current workspace answers; a different one means refetch. */
	#at: number | null = null;
	/** Only the newest workspace answer counts (two refetches may cross on the wire). */
	#seq = 0;

	constructor(chatId: string) {
		this.chatId = chatId;
		void this.#fetchHistory();
	}

	/** Loads the earlier chats again (after an error), with the placeholder lines meanwhile. */
	loadHistory() {
		this.history = { state: 'loading' };
		void this.#fetchHistory();
	}

	async #fetchHistory() {
		try {
			this.history = { state: 'ready', data: await contextApi.history(this.chatId) };
		} catch (e) {
			this.history = { state: 'error', message: failure(e) };
		}
	}

	/** Refetches the workspace when the server's signal moved since the last fetch. */
	syncWorkspace(at: number) {
		if (at === this.#at) return;
		this.#at = at;
		void this.loadWorkspace();
	}

	async loadWorkspace() {
		const seq = ++this.#seq;
		try {
			const data = await contextApi.workspace(this.chatId);
			if (seq === this.#seq) this.workspace = { state: 'ready', data };
		} catch (e) {
			if (seq === this.#seq && this.workspace.state !== 'ready') this.workspace = { state: 'error', message: failure(e) };
		}
	}

	/** The owner's id once known (C12): the participant chips mark it. */
	get ownerId(): string | null {
		return this.workspace.state === 'ready' ? (this.workspace.data.owner?.id ?? null) : null;
	}
}

/** One ChatContext per chat the agent is in, so switching chats does not reload history. */
export class ChatContexts {
	#byChat = new Map<string, ChatContext>();

	get(chatId: string): ChatContext {
		let c = this.#byChat.get(chatId);
		if (!c) this.#byChat.set(chatId, (c = new ChatContext(chatId)));
		return c;
	}

	/** Forgets chats the agent is no longer in. */
	retain(chatIds: readonly string[]) {
		for (const id of this.#byChat.keys()) if (!chatIds.includes(id)) this.#byChat.delete(id);
	}
}
