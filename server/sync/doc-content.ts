import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import type { DocRef } from '../../src/lib/core/doc-name';
import * as ROOT from '../../src/lib/core/doc-roots';
import { createRoots as createDocRoots } from '../../src/lib/core/doc-roots';
import { packToSleep, sleepingStateAsUpdate, wakeInto, type SleepingState } from './doc-sleep';
import { isEmptyStateVector } from './held';
import { APPEND_WINDOW_MS } from './limits';
import { MessageIds } from './message-ids';
import { RecentAppends } from './recent-appends';

/** Creates the document's roots before any update is applied (the core's one list of them). */
export function createRoots(doc: Y.Doc, ref: DocRef) {
	createDocRoots(doc, ref.kind);
}

export const monotonicMs = () => performance.now();

/** Listens to every change of a document's Y.Doc. */
export type UpdateListener = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => void;

/**
 * The content of one loaded document: its Y.Doc, or while it sleeps its packed state
 * (./doc-sleep.ts), with what is kept of it (its whole state encoded, its message ids, when
 * recent elements arrived). The base of LiveDoc (through LoggedDoc) rather than a member of it,
 * so that every client update reaches these fields directly, through no other object.
 */
export abstract class DocContent {
	/** The document's content, or null while it sleeps (see hibernate). */
	protected content: Y.Doc | null = new Y.Doc({ gc: true });
	/** While asleep: the whole state as one update (deflated), and its state vector. */
	private sleeping: SleepingState | null = null;
	/** The whole content encoded, kept until it changes (see stateAsUpdate). */
	protected wholeState: Uint8Array | null = null;
	/** When the content last changed (monotonic ms). */
	protected lastChangeAt = monotonicMs();
	/** When recent elements were received (T1: which ones a new message may land before). */
	readonly recent = new RecentAppends(APPEND_WINDOW_MS);
	/** Ids of the messages in `messages` (T2: unique), while the content is awake. */
	private ids: MessageIds | null = null;

	constructor(readonly ref: DocRef) {}

	/** Told of every change of the content: set on each Y.Doc it gets (loaded, woken, reloaded). */
	protected abstract readonly onUpdate: UpdateListener;

	/** Whether a decision holds the document or a client write waits: it does not sleep then. */
	abstract get busy(): boolean;

	/** The live Y.Doc (woken from sleep if needed). Inside a decision: with its changes. */
	get doc(): Y.Doc {
		return this.content ?? this.wake();
	}

	/** Ids of the messages (or whispers) in the document (built when first asked, kept while awake). */
	messageIds(): MessageIds {
		// B2: in chat/<id>/agents the whispers carry the ids.
		return (this.ids ??= new MessageIds(this.doc.getArray(this.ref.kind === 'chatAgents' ? ROOT.WHISPERS : ROOT.MESSAGES)));
	}

	/** What a transaction added, once over its clients: when it arrived (T1), its message ids (T2). */
	protected noteRecent(tr: Y.Transaction, at: number) {
		for (const [client, after] of tr.afterState) {
			const before = tr.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			this.recent.note(client, before, after, at);
			this.ids?.noteRange(tr.doc.store, client, before, after);
		}
	}

	/** The content's state vector (a sleeping document answers without waking). */
	stateVector(): Uint8Array {
		return this.content ? Y.encodeStateVector(this.content) : this.sleeping!.sv;
	}

	/** What a peer with state vector `sv` misses of the content (all of it without one). */
	stateAsUpdate(sv?: Uint8Array): Uint8Array {
		if (this.content) {
			if (sv && !isEmptyStateVector(sv)) return Y.encodeStateAsUpdate(this.content, sv);
			// Every new device asks for everything: encoded once until the next change.
			return (this.wholeState ??= Y.encodeStateAsUpdate(this.content));
		}
		return sleepingStateAsUpdate(this.sleeping!, sv);
	}

	get asleep() {
		return this.content === null;
	}

	/**
	 * Puts an idle document to sleep (./doc-sleep.ts); the first change (a client update to check,
	 * a server write) wakes it. Nothing is written; the log and its seq are untouched.
	 */
	hibernate(idleMs: number, now = monotonicMs()): boolean {
		const doc = this.content;
		if (!doc || this.busy || now - this.lastChangeAt < idleMs) return false;
		this.sleeping = packToSleep(doc);
		doc.off('update', this.onUpdate);
		this.ids = null;
		doc.destroy();
		this.content = null;
		this.wholeState = null;
		return true;
	}

	private wake(): Y.Doc {
		const doc = new Y.Doc({ gc: true });
		createRoots(doc, this.ref);
		wakeInto(doc, this.sleeping!);
		doc.on('update', this.onUpdate);
		this.content = doc;
		this.sleeping = null;
		this.lastChangeAt = monotonicMs();
		return doc;
	}

	/** The content becomes `fresh` (loaded again from the log); what was kept of the old one goes. */
	protected replaceContent(fresh: Y.Doc) {
		this.content?.off('update', this.onUpdate);
		this.content?.destroy();
		this.content = fresh;
		this.ids = null;
		this.sleeping = null;
		this.wholeState = null;
		fresh.on('update', this.onUpdate);
	}

	/** Frees the content, awake or asleep (unloading). */
	protected freeContent() {
		if (this.content) {
			this.content.off('update', this.onUpdate);
			this.content.destroy();
			this.content = null;
		}
		this.ids = null;
		this.sleeping = null;
	}
}
