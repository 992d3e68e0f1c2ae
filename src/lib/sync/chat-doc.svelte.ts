import type * as Y from 'yjs';
import { docNames } from '$lib/core/doc-name';
import * as ROOT from '$lib/core/doc-roots';
import { newTextMessage } from '$lib/core/message-policy';
import { hasVisibleCharacter, withoutControlCharacters } from '$lib/core/text';
import { serverNow } from './server-clock';
import type { Author, AwarenessUser, ChatMessage, ChatMeta, Participant } from '$lib/core/types';
import { LiveDoc } from './live-doc.svelte';
import { newId } from './ids';

// The `chat/<id>` document as runes: messages, participants, meta and who is typing.
// The only thing the browser writes is one appended text message authored by itself.

/** Stop showing "is typing" this long after the last keystroke. */
const TYPING_IDLE_MS = 3000;

export class ChatDoc {
	readonly chatId: string;
	readonly live: LiveDoc;
	/** The document's messages, then those still waiting to be sent (see send). */
	messages = $state.raw<ChatMessage[]>([]);
	/** Messages typed while not in sync with the server, sent (appended) once it is again. */
	outbox = $state.raw<ChatMessage[]>([]);
	participants = $state.raw<Participant[]>([]);
	meta = $state.raw<ChatMeta>({});
	/** Other connections whose awareness says they are typing (own connection excluded). */
	typing = $state.raw<AwarenessUser[]>([]);

	#typingTimer: ReturnType<typeof setTimeout> | undefined;
	#typingNow = false;

	constructor(chatId: string) {
		this.chatId = chatId;
		this.live = new LiveDoc(docNames.chat(chatId), (doc, provider) => {
			const messages = doc.getArray<ChatMessage>(ROOT.MESSAGES);
			const participants = doc.getMap<Participant>(ROOT.PARTICIPANTS);
			const meta = doc.getMap<unknown>(ROOT.META);
			const readMessages = () => (this.messages = messages.toArray().concat(this.outbox));
			const readParticipants = () =>
				(this.participants = [...participants.values()].sort((a, b) => a.joinedAt - b.joinedAt));
			const readMeta = () => (this.meta = meta.toJSON() as ChatMeta);
			const readAwareness = () => {
				const typing: AwarenessUser[] = [];
				for (const [clientId, state] of provider.awareness.getStates()) {
					if (clientId === doc.clientID || !state?.typing || !state.user) continue;
					typing.push(state.user as AwarenessUser);
				}
				this.typing = typing;
			};
			readMessages();
			readParticipants();
			readMeta();
			readAwareness();
			messages.observeDeep(readMessages);
			participants.observe(readParticipants);
			meta.observe(readMeta);
			provider.awareness.on('change', readAwareness);
			this.#typingNow = false;
			return () => {
				messages.unobserveDeep(readMessages);
				participants.unobserve(readParticipants);
				meta.unobserve(readMeta);
				provider.awareness.off('change', readAwareness);
			};
		});
		this.live.onsynced = () => this.#flush();
	}

	/** Ids of the messages in the outbox (shown as "sending" or "not sent yet"). */
	get pendingIds(): ReadonlySet<string> {
		return new Set(this.outbox.map((m) => m.id));
	}

	get ended(): boolean {
		return this.meta.status === 'ended';
	}

	/**
	 * Appends one text message. `author` must be exactly the identity the server knows for
	 * this connection, or the server refuses the update (close UPDATE_REFUSED) — see the write policy.
	 */
	send(author: Author, text: string, attachments: readonly string[] = []): boolean {
		const body = withoutControlCharacters(text).trim().normalize('NFC');
		// B9: with files the text may be empty (a pasted screenshot), never only invisible characters.
		if ((attachments.length ? body !== '' && !hasVisibleCharacter(body) : !hasVisibleCharacter(body)) || this.ended) return false;
		const message = newTextMessage(author, body, serverNow(), newId());
		this.outbox = [...this.outbox, attachments.length ? { ...message, attachments: [...attachments] } : message];
		this.#flush();
		this.setTyping(false);
		return true;
	}

	/**
	 * T1: the server takes a message only after everything its writer has seen. Written while
	 * offline, it would land before what others wrote meanwhile (refused once that is old), so
	 * it waits here and is appended, stamped with the time it is sent, once the document is in
	 * sync again.
	 */
	#flush() {
		const doc: Y.Doc | null = this.live.doc;
		if (!doc || !this.live.synced || this.outbox.length === 0) {
			this.messages = (doc?.getArray<ChatMessage>(ROOT.MESSAGES).toArray() ?? []).concat(this.outbox);
			return;
		}
		const at = serverNow();
		const waiting = this.outbox.map((m) => ({ ...m, at }));
		this.outbox = [];
		doc.getArray<ChatMessage>(ROOT.MESSAGES).push(waiting);
	}

	/** Call on each keystroke in the composer: typing until idle for a few seconds. */
	typed() {
		this.setTyping(true);
		clearTimeout(this.#typingTimer);
		this.#typingTimer = setTimeout(() => this.setTyping(false), TYPING_IDLE_MS);
	}

	setTyping(on: boolean) {
		if (!on) clearTimeout(this.#typingTimer);
		const awareness = this.live.provider?.awareness;
		if (!awareness || this.#typingNow === on) return;
		this.#typingNow = on;
		awareness.setLocalStateField('typing', on);
	}

	destroy() {
		clearTimeout(this.#typingTimer);
		this.live.destroy();
	}
}

/** Opens `chat/<chatId>`; the session or chat cookie authenticates. */
export function connectChat(chatId: string): ChatDoc {
	return new ChatDoc(chatId);
}
