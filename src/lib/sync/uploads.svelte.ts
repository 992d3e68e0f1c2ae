import { enc } from './request';
import type { FileInfo } from './files-api';
import { uploadRefusal } from './upload-refusal';

// B9 (README "Attachments", the upload UI): the files chosen for the next message. Each is
// uploaded at once when the connection is up (XHR, for its upload progress), or waits and goes
// when it is back; a failed upload says why and can be retried or removed. The message is sent
// with the ids of the uploaded ones.

export type UploadState = 'waiting' | 'uploading' | 'done' | 'failed';

export interface PendingFile {
	key: string;
	name: string;
	/** Bytes. */
	size: number;
	state: UploadState;
	/** 0…1 of the bytes sent. */
	progress: number;
	/** Why it failed (shown as it is). */
	error: string | null;
	/** Whether trying again may help (not for a file too large or of a type not taken). */
	retryable: boolean;
	/** What the server made of it, once uploaded. */
	attachment: FileInfo | null;
}

/** Most files one message may carry (the write policy's limit). */
export const MAX_FILES = 10;

export class Uploads {
	items = $state.raw<PendingFile[]>([]);
	/** A file refused before it was uploaded (too many files); cleared by the next change. */
	notice = $state<string | null>(null);
	readonly #files = new Map<string, File>();
	readonly #requests = new Map<string, XMLHttpRequest>();
	#next = 0;

	constructor(
		readonly chatId: string,
		/** Whether the server can be reached now (the live document is connected). */
		private readonly online: () => boolean,
		/** For whispers: uploaded as agents-only (README: `agentsOnly=true`). */
		private readonly agentsOnly = false,
		/** Told of each finished upload (the log then shows the file without asking the server). */
		private readonly onuploaded?: (file: FileInfo) => void
	) {}

	/** The ids of the uploaded files, in the order chosen. */
	get ready(): string[] {
		return this.items.flatMap((i) => (i.state === 'done' && i.attachment ? [i.attachment.id] : []));
	}

	/** Files still on their way (waiting or uploading): the message waits for them. */
	get busy(): boolean {
		return this.items.some((i) => i.state === 'waiting' || i.state === 'uploading');
	}

	get failed(): boolean {
		return this.items.some((i) => i.state === 'failed');
	}

	add(files: Iterable<File>) {
		this.notice = null;
		const added: PendingFile[] = [];
		for (const file of files) {
			if (this.items.length + added.length >= MAX_FILES) {
				this.notice = `At most ${MAX_FILES} files per message.`;
				break;
			}
			const key = `f${++this.#next}`;
			this.#files.set(key, file);
			added.push({ key, name: file.name || 'pasted image', size: file.size, state: 'waiting', progress: 0, error: null, retryable: false, attachment: null });
		}
		this.items = [...this.items, ...added];
		this.resume();
	}

	/** Starts every waiting upload, if the server can be reached (call when the connection is back). */
	resume() {
		if (!this.online()) return;
		for (const item of this.items) if (item.state === 'waiting') this.#start(item.key);
	}

	retry(key: string) {
		this.#set(key, { state: 'waiting', progress: 0, error: null });
		this.resume();
	}

	remove(key: string) {
		this.#requests.get(key)?.abort();
		this.#requests.delete(key);
		this.#files.delete(key);
		this.items = this.items.filter((i) => i.key !== key);
		this.notice = null;
	}

	/** The uploaded ids for the message being sent; they leave the tray (failed ones stay, to retry or remove). */
	take(): string[] {
		const ids = this.ready;
		for (const item of this.items) if (item.state === 'done') this.remove(item.key);
		return ids;
	}

	/**
	 * The composer went away (another chat, or the console's Reply/Whisper switch): uploads under
	 * way stop, and wait to start again (the tray resumes them when the composer is back).
	 */
	destroy() {
		for (const xhr of this.#requests.values()) xhr.abort();
		this.#requests.clear();
		this.items = this.items.map((i) => (i.state === 'uploading' ? { ...i, state: 'waiting', progress: 0 } : i));
	}

	#set(key: string, change: Partial<PendingFile>) {
		this.items = this.items.map((i) => (i.key === key ? { ...i, ...change } : i));
	}

	#start(key: string) {
		const file = this.#files.get(key);
		if (!file || this.#requests.has(key)) return;
		const form = new FormData();
		if (this.agentsOnly) form.append('agentsOnly', 'true'); // fields before the file (README)
		form.append('file', file, file.name || 'pasted-image.png');
		const xhr = new XMLHttpRequest();
		this.#requests.set(key, xhr);
		this.#set(key, { state: 'uploading', progress: 0, error: null });
		xhr.upload.onprogress = (e) => {
			if (e.lengthComputable) this.#set(key, { progress: e.total ? e.loaded / e.total : 0 });
		};
		const finish = (change: Partial<PendingFile>) => {
			if (this.#requests.get(key) !== xhr) return; // removed meanwhile
			this.#requests.delete(key);
			this.#set(key, change);
		};
		xhr.onload = () => {
			let body: unknown = null;
			try {
				body = JSON.parse(xhr.responseText);
			} catch {
				// A proxy's page, not ours: the status says enough.
			}
			const attachment = (body as { attachment?: FileInfo } | null)?.attachment;
			if (xhr.status === 201 && attachment) {
				const info = { ...attachment, agentsOnly: this.agentsOnly };
				finish({ state: 'done', progress: 1, attachment: info });
				this.onuploaded?.(info);
			} else finish({ state: 'failed', error: uploadRefusal(xhr.status, body), retryable: xhr.status !== 413 && xhr.status !== 415 });
		};
		// The connection dropped: it waits for the next one; otherwise it failed and says so.
		xhr.onerror = () => finish(this.online() ? { state: 'failed', error: uploadRefusal(0, null), retryable: true } : { state: 'waiting', progress: 0 });
		xhr.open('POST', `/api/chats/${enc(this.chatId)}/attachments`);
		xhr.send(form);
	}
}
