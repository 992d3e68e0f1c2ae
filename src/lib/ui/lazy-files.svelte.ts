import type { ChatFiles, Uploads } from './files-kit';
import type { LiveDoc } from '$lib/sync/live-doc.svelte';

type Kit = typeof import('./files-kit');

/**
 * B9: a chat's files for one view, with the code for them (upload, tray, attach button, the
 * files in the log) loaded as a chunk of its own right after the view's first render, outside
 * the page's own JS. Files pasted or dropped before it has loaded are kept and handed over once
 * it has.
 */
export class LazyFiles {
	kit = $state.raw<Kit | null>(null);
	files = $state.raw<ChatFiles | null>(null);
	uploads = $state.raw<Uploads | null>(null);
	/** Why the code could not be loaded (offline on the first need); the next need tries again. */
	failed = $state(false);
	#loading: Promise<void> | null = null;
	#early: File[] = [];

	constructor(
		readonly chatId: string,
		readonly live: LiveDoc,
		/** Uploads for whispers (agents only). */
		readonly agentsOnly = false
	) {
		// Loaded after the view's first render (never during it: the answer changes state).
		queueMicrotask(() => void this.load());
	}

	load(): Promise<void> {
		return (this.#loading ??= import('./files-kit').then(
			(kit) => {
				const files = new kit.ChatFiles(this.chatId);
				this.uploads = new kit.Uploads(this.chatId, () => this.live.status === 'connected', this.agentsOnly, (f) => files.remember(f));
				this.files = files;
				this.kit = kit;
				this.failed = false;
				if (this.#early.length) this.uploads.add(this.#early.splice(0));
			},
			() => {
				this.failed = true;
				this.#loading = null;
			}
		));
	}

	/** Files chosen, pasted or dropped. */
	add(chosen: File[]) {
		if (this.uploads) return this.uploads.add(chosen);
		this.#early.push(...chosen);
		void this.load();
	}

	destroy() {
		this.uploads?.destroy();
	}
}
