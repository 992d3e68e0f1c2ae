import type * as Y from 'yjs';
import { indexOf, placeAt, readPlace, type TextPlace } from './text-place';
import { docNames } from '$lib/core/doc-name';
import * as ROOT from '$lib/core/doc-roots';
import { hasVisibleCharacter, withoutControlCharacters } from '$lib/core/text';
import { MAX_DRAFT_TEXT, newWhisper } from '$lib/core/whisper-policy';
import type { Author, AwarenessUser, Whisper } from '$lib/core/types';
import { LiveDoc } from './live-doc.svelte';
import { newId } from './ids';
import { serverNow } from './server-clock';

// The agents' huddle, `chat/<id>/agents` (B2, B3), as runes: whispers (appended like messages)
// and the shared draft (a Y.Text every agent in the chat edits), with who wrote which part and
// where the others' carets are (awareness: `cursor: {anchor, head}`, each a TextPlace, so they
// survive concurrent edits).

/** A run of draft text written by one client. */
export interface DraftPart {
	text: string;
	/** Who typed it, when known (from awareness, seen during this page's life). */
	author: AwarenessUser | null;
	client: number;
}

/** Another connection's caret or selection in the draft, as indexes into the text now. */
export interface DraftCaret {
	user: AwarenessUser;
	client: number;
	anchor: number;
	head: number;
}

/** How often my caret's position is told to the others while it moves. */
const CARET_EVERY_MS = 150;

export class HuddleDoc {
	readonly chatId: string;
	readonly live: LiveDoc;
	whispers = $state.raw<Whisper[]>([]);
	draft = $state('');
	parts = $state.raw<DraftPart[]>([]);
	carets = $state.raw<DraftCaret[]>([]);
	/** Every client id seen in awareness, with its user: the authors of draft text. */
	#authors = new Map<number, AwarenessUser>();

	/** `self`: who I am, to name the text I type (my own awareness state carries no user). */
	constructor(chatId: string, self?: AwarenessUser) {
		this.chatId = chatId;
		this.live = new LiveDoc(docNames.chatAgents(chatId), (doc, provider) => {
			if (self) this.#authors.set(doc.clientID, self);
			const whispers = doc.getArray<Whisper>(ROOT.WHISPERS);
			const text = doc.getText(ROOT.DRAFT);
			const readWhispers = () => (this.whispers = whispers.toArray());
			const readDraft = () => {
				this.draft = text.toString();
				this.parts = partsOf(text, this.#authors);
				readCarets();
			};
			const readCarets = () => {
				const carets: DraftCaret[] = [];
				for (const [client, state] of provider.awareness.getStates()) {
					const user = state?.user as AwarenessUser | undefined;
					if (!user || client === doc.clientID) continue;
					this.#authors.set(client, user);
					if (!state.cursor) continue;
					const anchor = readPlace(state.cursor.anchor);
					const head = readPlace(state.cursor.head);
					if (anchor !== undefined && head !== undefined) carets.push({ user, client, anchor: indexOf(text, anchor), head: indexOf(text, head) });
				}
				this.carets = carets;
			};
			const onAwareness = () => {
				readCarets();
				this.parts = partsOf(text, this.#authors);
			};
			readWhispers();
			readDraft();
			whispers.observe(readWhispers);
			text.observe(readDraft);
			provider.awareness.on('change', onAwareness);
			return () => {
				whispers.unobserve(readWhispers);
				text.unobserve(readDraft);
				provider.awareness.off('change', onAwareness);
			};
		});
	}

	get text(): Y.Text | null {
		return this.live.doc?.getText(ROOT.DRAFT) ?? null;
	}

	/**
	 * Appends a whisper by `author` (exactly the identity the server knows), carrying the ids of
	 * files I uploaded agents-only to this chat (B9); false if nothing to send. As with messages,
	 * with files the text may be empty, never only invisible characters.
	 */
	whisper(author: Author, raw: string, attachments: readonly string[] = []): boolean {
		const doc = this.live.doc;
		const body = withoutControlCharacters(raw).trim().normalize('NFC');
		if (!doc || !this.live.synced) return false;
		if (attachments.length ? body !== '' && !hasVisibleCharacter(body) : !hasVisibleCharacter(body)) return false;
		const whisper = newWhisper(author, body, serverNow(), newId());
		doc.getArray<Whisper>(ROOT.WHISPERS).push([attachments.length ? { ...whisper, attachments: [...attachments] } : whisper]);
		return true;
	}

	/**
	 * Makes the draft read `next` with one minimal edit (the common start and end kept), so that
	 * others' concurrent typing elsewhere in it survives. Control characters are dropped and the
	 * draft is kept within its limit, as the server requires.
	 */
	edit(next: string) {
		const text = this.text;
		if (!text) return;
		const now = text.toString();
		let start = 0;
		while (start < now.length && start < next.length && now[start] === next[start]) start++;
		let end = 0;
		while (end < now.length - start && end < next.length - start && now[now.length - 1 - end] === next[next.length - 1 - end]) end++;
		const removed = now.length - start - end;
		let inserted = withoutControlCharacters(next.slice(start, next.length - end));
		inserted = inserted.slice(0, Math.max(0, MAX_DRAFT_TEXT - (now.length - removed)));
		if (removed === 0 && inserted === '') return;
		text.doc!.transact(() => {
			if (removed > 0) text.delete(start, removed);
			if (inserted) text.insert(start, inserted);
		});
	}

	/**
	 * Tells the others where my caret (or selection) is, as positions relative to the text. At
	 * most one awareness frame per CARET_EVERY_MS while typing (the gateway counts frames).
	 */
	setCaret(anchor: number | null, head: number | null) {
		this.#caret = anchor === null || head === null ? null : { anchor, head };
		if (this.#caretTimer !== undefined) return;
		this.#sendCaret();
		this.#caretTimer = setTimeout(() => {
			this.#caretTimer = undefined;
			if (this.#caretSent !== JSON.stringify(this.#caret)) this.#sendCaret();
		}, CARET_EVERY_MS);
	}

	#caret: { anchor: number; head: number } | null = null;
	#caretSent = 'null';
	#caretTimer: ReturnType<typeof setTimeout> | undefined;

	#sendCaret() {
		const text = this.text;
		const awareness = this.live.provider?.awareness;
		if (!text || !awareness) return;
		const caret = this.#caret;
		this.#caretSent = JSON.stringify(caret);
		awareness.setLocalStateField(
			'cursor',
			caret && {
				anchor: placeAt(text, caret.anchor),
				head: placeAt(text, caret.head)
			}
		);
	}

	/** An index as a place in the text (to keep my caret where it was while others type). */
	placeOf(index: number): TextPlace | undefined {
		const text = this.text;
		return text ? placeAt(text, index) : undefined;
	}

	/** Where a place is now (undefined without a document). */
	indexOf(place: TextPlace): number | undefined {
		const text = this.text;
		return text ? indexOf(text, place) : undefined;
	}

	destroy() {
		clearTimeout(this.#caretTimer);
		this.live.destroy();
	}
}

/** The draft as runs of text, each by one client (adjacent runs of one client merged). */
function partsOf(text: Y.Text, authors: ReadonlyMap<number, AwarenessUser>): DraftPart[] {
	const parts: DraftPart[] = [];
	for (let item = text._start; item !== null; item = item.right) {
		const str = (item.content as { str?: unknown }).str; // ContentString (the only content the policy lets in)
		if (item.deleted || typeof str !== 'string') continue;
		const client = item.id.client;
		const last = parts.at(-1);
		if (last && last.client === client) last.text += str;
		else parts.push({ text: str, client, author: authors.get(client) ?? null });
	}
	return parts;
}
