import * as Y from 'yjs';
import type { DocRef } from '../../src/lib/core/doc-name';
import type { LoadedLog, UpdateLog } from '../storage/update-log';
import { createRoots, DocContent } from './doc-content';
import type { ErrorSink } from './error-sink';
import { APPEND_WINDOW_MS } from './limits';

/** Updates applied before a checkpoint is due (so that a load replays at most about this many). */
export const CHECKPOINT_EVERY = 500;

/**
 * A document's content with its place in the log: read from it (the latest checkpoint and the
 * updates after it), its seq and clientID owners, and the checkpoints saved back to it. LiveDoc
 * adds the peers and the two ways writes come in.
 */
export abstract class LoggedDoc extends DocContent {
	clientOwners = new Map<number, string>();
	seq = 0;
	/** Updates applied since the last checkpoint (counted by LiveDoc as it applies them). */
	protected sinceCheckpoint = 0;
	/** Set when reloading after a rollback failed: the content is not the log's; never checkpointed. */
	private broken = false;

	constructor(
		readonly name: string,
		ref: DocRef,
		protected readonly log: UpdateLog,
		protected readonly now: () => number,
		protected readonly onError: ErrorSink
	) {
		super(ref);
	}

	/** Whether a decision holds the document: what it changed is not committed yet. */
	abstract get isHeld(): boolean;

	/** Reads the document from the log (latest checkpoint, the updates after it, the bindings). */
	async load(): Promise<void> {
		const doc = this.content!;
		this.adopt(await this.readLog(doc, true));
		doc.on('update', this.onUpdate);
	}

	/**
	 * Reads the content again from the log, into a fresh Y.Doc (the changes of a rolled-back
	 * decision are in memory but not in the log). Rejects when the log cannot be read: the
	 * document is then broken, and never checkpointed.
	 */
	protected async reload(): Promise<void> {
		const fresh = new Y.Doc({ gc: true });
		let loaded;
		try {
			loaded = await this.readLog(fresh, false);
		} catch (err) {
			this.broken = true;
			fresh.destroy();
			throw err;
		}
		this.adopt(loaded);
		this.replaceContent(fresh);
	}

	/** Fills a fresh `doc` from the log; `noteRecent`: what arrived within the window is recent (T1). */
	private async readLog(doc: Y.Doc, noteRecent: boolean) {
		const loaded = await this.log.load(this.name);
		createRoots(doc, this.ref);
		if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.state);
		const since = this.now() - APPEND_WINDOW_MS;
		for (const u of loaded.updates) {
			// What reached the log within the window is still recent after a restart.
			const note = noteRecent && u.at >= since ? (tr: Y.Transaction) => this.noteRecent(tr, u.at) : null;
			if (note) doc.on('afterTransaction', note);
			Y.applyUpdate(doc, u.update);
			if (note) doc.off('afterTransaction', note);
		}
		return loaded;
	}

	private adopt(loaded: LoadedLog) {
		this.seq = loaded.lastSeq;
		this.sinceCheckpoint = loaded.updates.length;
		this.clientOwners = loaded.clients;
	}

	/**
	 * Saves the state at the current seq (only what is committed: never while a decision holds the
	 * document). Resolves once saved; a failure goes to onError, never to the caller.
	 */
	checkpoint(): Promise<void> {
		if (this.sinceCheckpoint === 0 || this.isHeld || this.broken) return Promise.resolve();
		const saved = this.sinceCheckpoint;
		this.sinceCheckpoint = 0;
		return this.log.saveCheckpoint(this.name, this.seq, this.stateAsUpdate(), this.now()).catch((err) => {
			this.sinceCheckpoint += saved; // tried again at the next occasion
			this.onError(`saving a checkpoint of ${this.name} failed`, err);
		});
	}
}
