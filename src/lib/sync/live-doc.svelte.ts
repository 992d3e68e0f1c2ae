import * as Y from 'yjs';
import * as CLOSE from '$lib/core/close-codes';
import { SyncProvider } from './provider';
import { bearerQuery } from './bearer';

// The browser side of one live document (README "Live documents"): a Y.Doc synced over the stock
// y-websocket protocol (./provider.ts), its connection state as runes, and the close-code
// contract ($lib/core/close-codes) — UPDATE_REFUSED, BAD_FRAME and TOO_LARGE mean "start a fresh
// document", TOO_MANY "wait, then reconnect with the same document" (nothing typed is lost), the
// other 44xx codes end the connection for good.

export type SyncStatus = 'connecting' | 'connected' | 'reconnecting' | 'closed';

/** Why a document stopped syncing (a permanent 44xx close from the server). */
export interface SyncClosed {
	code: number;
	reason: string;
	/** What happened, in words a person can act on. */
	message: string;
}

/** Attaches observers to a freshly created doc; returns the function that detaches them. */
export type DocBinder = (doc: Y.Doc, provider: SyncProvider) => () => void;

/** Human words for the server's permanent close codes. */
export function closeMessage(code: number): string {
	switch (code) {
		case CLOSE.NOT_SIGNED_IN:
			return 'You are signed out. Sign in again to continue.';
		case CLOSE.FORBIDDEN:
			return 'You no longer have access to this conversation.';
		case CLOSE.NO_SUCH_DOC:
			return 'This conversation no longer exists.';
		case CLOSE.ACCESS_ENDED:
			return 'Your access to this conversation has ended.';
		case CLOSE.UPDATE_REFUSED:
			return 'A change was refused by the server; the conversation was reloaded.';
		case CLOSE.BAD_FRAME:
		case CLOSE.TOO_LARGE:
			return 'A message was too large or malformed and was dropped; the conversation was reloaded.';
		case CLOSE.TOO_MANY:
			return 'Too much at once — reconnecting in a few seconds. Nothing you typed is lost.';
		default:
			return 'The connection was closed by the server.';
	}
}

/** `ws(s)://<this host>/sync`: same origin, so the session or chat cookie authenticates. */
export function syncUrl(): string {
	return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;
}

const NOTICE_MS = 6000;
/** A server that refuses every fresh document too is not worth looping on. */
const MAX_RESETS_PER_MINUTE = 3;
const RETRY_AFTER_MS = 5000;

export class LiveDoc {
	status = $state<SyncStatus>('connecting');
	synced = $state(false);
	/** A short-lived notice, e.g. after a refused update forced a fresh document. */
	notice = $state<string | null>(null);
	closed = $state<SyncClosed | null>(null);

	readonly name: string;
	/** Called each time the document is in sync with the server again (after every (re)connect). */
	onsynced: (() => void) | null = null;
	#bind: DocBinder;
	#doc: Y.Doc | null = null;
	#provider: SyncProvider | null = null;
	#unbind: (() => void) | null = null;
	#everConnected = false;
	#noticeTimer: ReturnType<typeof setTimeout> | undefined;
	#resets: number[] = [];
	#retryTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(name: string, bind: DocBinder) {
		this.name = name;
		this.#bind = bind;
		this.#open();
	}

	/** The current Y.Doc; replaced after a "fresh" close (CLOSE.FRESH_DOC), null once closed or destroyed. */
	get doc(): Y.Doc | null {
		return this.#doc;
	}

	get provider(): SyncProvider | null {
		return this.#provider;
	}

	#open() {
		const doc = new Y.Doc();
		// No BroadcastChannel between tabs: they must not feed each other updates the server never
		// checked (the provider has none).
		const provider = new SyncProvider(syncUrl(), this.name, doc, {
			status: (status) => {
				if (this.#provider !== provider) return;
				if (status === 'connected') {
					this.#everConnected = true;
					this.status = 'connected';
				} else {
					this.status = this.#everConnected ? 'reconnecting' : 'connecting';
				}
			},
			sync: (isSynced) => {
				if (this.#provider !== provider) return;
				this.synced = isSynced;
				if (isSynced) this.onsynced?.();
			},
			closed: (code, reason) => {
				if (this.#provider === provider) this.#onPermanentClose(code, reason);
			}
		}, bearerQuery());
		this.#doc = doc;
		this.#provider = provider;
		this.#unbind = this.#bind(doc, provider);
		provider.connect();
	}

	#teardown() {
		this.#unbind?.();
		this.#unbind = null;
		this.#provider?.destroy();
		this.#doc?.destroy();
		this.#provider = null;
		this.#doc = null;
		this.synced = false;
	}

	#onPermanentClose(code: number, reason: string) {
		if (code === CLOSE.TOO_MANY && this.#provider) {
			// Rate-limited: keep the document (and its unsent messages) and try again later.
			const provider = this.#provider;
			this.#showNotice(closeMessage(code));
			this.status = 'reconnecting';
			this.#retryTimer = setTimeout(() => this.#provider === provider && provider.connect(), RETRY_AFTER_MS);
			return;
		}
		this.#teardown();
		const now = Date.now();
		this.#resets = this.#resets.filter((t) => now - t < 60_000);
		if (CLOSE.FRESH_DOC.includes(code) && this.#resets.length < MAX_RESETS_PER_MINUTE) {
			this.#resets.push(now);
			// Our copy holds an update the server refused; it would be re-sent on every
			// reconnect. Drop it and re-sync a fresh document (only the refused part is lost).
			this.#showNotice(closeMessage(code));
			this.status = 'reconnecting';
			this.#open();
			return;
		}
		this.status = 'closed';
		this.closed = { code, reason, message: closeMessage(code) };
	}

	#showNotice(text: string) {
		clearTimeout(this.#noticeTimer);
		this.notice = text;
		this.#noticeTimer = setTimeout(() => (this.notice = null), NOTICE_MS);
	}

	/** Stops syncing and frees the doc; call when the page no longer shows it. */
	destroy() {
		clearTimeout(this.#noticeTimer);
		clearTimeout(this.#retryTimer);
		this.#teardown();
		if (this.status !== 'closed') this.status = 'closed';
	}
}
