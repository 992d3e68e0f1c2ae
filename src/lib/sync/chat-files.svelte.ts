import { filesApi, type FileInfo } from './files-api';

// B9: what the files that a chat's messages carry are (name, type, size), for the log to show
// a thumbnail or a card. Read from the chat's list when the log meets an id it does not know;
// own uploads are known at once. An id the list does not have (removed, or not for this reader)
// is asked for again only when another unknown id shows up.

/** How long after a failed lookup it is tried again. */
const RETRY_MS = 5000;

export class ChatFiles {
	// A plain map, replaced on each change (no svelte/reactivity on the customer page).
	#known = $state.raw(new Map<string, FileInfo>());
	readonly #asked = new Set<string>();
	#pending = new Set<string>();
	#loading = false;
	/** Bumped when a lookup ends: what `missing` says may have changed. */
	#settled = $state(0);

	constructor(readonly chatId: string) {}

	/** What the file is, or undefined while unknown (then it is looked up). */
	info(id: string): FileInfo | undefined {
		const known = this.#known.get(id);
		if (!known && !this.#asked.has(id)) {
			this.#asked.add(id);
			this.#pending.add(id);
			// Not while the log renders: the answer changes state.
			queueMicrotask(() => void this.#load());
		}
		return known;
	}

	/** Whether the id was looked up and is not this reader's to see (or no longer there). */
	missing(id: string): boolean {
		void this.#settled;
		return this.#asked.has(id) && !this.#pending.has(id) && !this.#loading && !this.#known.has(id);
	}

	remember(file: FileInfo) {
		this.#known = new Map(this.#known).set(file.id, file);
	}

	async #load() {
		if (this.#loading || this.#pending.size === 0) return;
		this.#loading = true;
		const wanted = this.#pending;
		this.#pending = new Set();
		try {
			const { attachments } = await filesApi.list(this.chatId);
			const known = new Map(this.#known);
			for (const file of attachments) known.set(file.id, file);
			this.#known = known;
		} catch {
			// Offline or refused: ask again a little later (the log meets these ids again then).
			setTimeout(() => {
				for (const id of wanted) this.#asked.delete(id);
				this.#settled++;
			}, RETRY_MS);
		} finally {
			this.#loading = false;
			this.#settled++;
		}
		if (this.#pending.size) void this.#load();
	}
}
