import { AsyncLocalStorage } from 'node:async_hooks';
import type * as Y from 'yjs';
import { SeqTakenError, type LogRow, type StoragePort, type StoreTx } from '../storage/update-log';
import type { LiveDoc } from './live-doc';
import { HIBERNATE_AFTER_MS, LoadedDocs } from './loaded-docs';
import { warnOnError, type ErrorSink } from './error-sink';
import type { Peer } from './peer';
import { ClientWriteBatch } from './write-batch';
import { Turns } from './turns';
import type { CommittedRow, FannedDocs, FanOut } from './fan-out';
import type { SocketAction } from './socket-actions';

// The registry's default, exported from here as before.
export { HIBERNATE_AFTER_MS };

/**
 * Times a decision is tried when other instances keep taking its seqs (B5); between tries it
 * waits a random moment, longer each time, so that two instances never stay in step.
 */
const DECISION_TRIES = 30;
const retryPause = (tries: number) => new Promise((go) => setTimeout(go, Math.random() * Math.min(tries, 10) * 3));

/** One decision under way: its transaction, the documents it changed, what it does to sockets after. */
interface Decision {
	tx: StoreTx;
	touched: Set<LiveDoc>;
	afterCommit: (() => void)[];
	/** False once its transaction is over: a call made later is not part of it. */
	open: boolean;
}

/**
 * The live documents of one server: runs the decisions (the outbox) over them, and has them
 * loaded once, kept while peers use them and unloaded a grace period after the last one leaves
 * (LoadedDocs). Instance state, never a module singleton (tests run several servers).
 */
export class DocRegistry {
	/** Loading, unloading and sleep (see LoadedDocs). */
	private readonly docs: LoadedDocs;
	/** Decisions and the batch's appends, one at a time (see Turns). */
	private readonly turns = new Turns();
	/** Client updates of one event-loop turn share one log append (see ClientWriteBatch). */
	private readonly batch: ClientWriteBatch;
	/** The decision a call belongs to, if any (follows the call through its awaits). */
	private readonly decisions = new AsyncLocalStorage<Decision>();
	/** B5: the fan-out to the other instances (null: one instance). */
	private fanOut: FanOut | null = null;

	constructor(
		private readonly storage: StoragePort,
		now: () => number,
		graceMs: number,
		hibernateAfterMs = HIBERNATE_AFTER_MS,
		private readonly onError: ErrorSink = warnOnError
	) {
		this.batch = new ClientWriteBatch(storage.log, this.turns);
		this.docs = new LoadedDocs(storage, now, graceMs, hibernateAfterMs, this.batch, onError);
		// Here only: the deciding instance published these actions itself (when its bus worked).
		this.docs.onRemoteAccess = (actions) => actions.forEach((a) => this.doSocketAction(a));
	}

	/**
	 * The document, loaded once: callers that ask while it loads share that load, so it is never
	 * loaded twice; a load that failed is forgotten (the next caller tries again).
	 */
	get(name: string): Promise<LiveDoc> {
		return this.docs.get(name);
	}

	/** A loaded document, without loading it (tests and metrics). */
	loaded(name: string): LiveDoc | undefined {
		return this.docs.loaded(name);
	}

	/**
	 * The server writes to a document as `actor` (loading it if needed). Inside a decision it is
	 * part of that decision; outside one, it is a decision of its own.
	 */
	async change(name: string, actor: string, fn: (doc: Y.Doc) => void): Promise<void> {
		const decision = this.decisions.getStore();
		if (!decision?.open) return this.decide(() => this.change(name, actor, fn));
		const live = await this.get(name);
		if (!decision.open) return this.change(name, actor, fn); // it ended while the document loaded
		if (!decision.touched.has(live)) {
			live.hold();
			decision.touched.add(live);
		}
		live.write(actor, fn);
	}

	/**
	 * One decision, one transaction (the outbox, ARCHITECTURE "Storage"): `run` — a verb, with its
	 * facts and audit rows, on `tx` — and every document change made while it runs are committed
	 * together, and broadcast only after the commit. A throw rolls all of it back and the documents
	 * it changed are loaded again from the log; nobody saw any of it. `afterCommit` runs between
	 * the commit and the broadcasts of a decision that changed documents (fault-injection tests
	 * stop the process there; the expiry sweep's empty decisions never reach it). Called inside a
	 * decision, `run` is part of it (same transaction). Decisions run one at a time.
	 */
	async decide<T>(run: (tx: StoreTx) => Promise<T>, afterCommit?: () => void): Promise<T> {
		const current = this.decisions.getStore();
		if (current?.open) return run(current.tx);
		for (let tries = 1; ; tries++) {
			try {
				return await this.turns.run(() => this.decideInTurn(run, afterCommit));
			} catch (err) {
				// B5: another instance appended to a document it changed first. Everything rolled
				// back and the documents were read again from the log (with the other's rows): the
				// decision runs again on the state as it is now (its facts are read in its transaction).
				if (!(err instanceof SeqTakenError) || tries >= DECISION_TRIES) throw err;
				await retryPause(tries);
			}
		}
	}

	private async decideInTurn<T>(run: (tx: StoreTx) => Promise<T>, afterCommit?: () => void): Promise<T> {
		// Client updates checked before the decision are stored first, in their own append.
		await this.batch.flushInTurn();
		const decision: Decision = { tx: undefined as unknown as StoreTx, touched: new Set(), afterCommit: [], open: true };
		let result: T;
		try {
			result = await this.storage.transaction((tx) => {
				decision.tx = tx;
				return this.decisions.run(decision, async () => {
					const value = await run(tx);
					decision.open = false;
					await this.appendHeld(tx, decision.touched);
					return value;
				});
			});
		} catch (err) {
			decision.open = false;
			this.decisions.disable();
			for (const live of decision.touched) await this.discard(live);
			throw err;
		}
		decision.open = false;
		// Between decisions no context is tracked: an enabled AsyncLocalStorage makes every promise
		// in the process dearer (async hooks on Node 20), and the client write path uses promises.
		this.decisions.disable();
		// Only a decision with something to broadcast has a moment between commit and broadcast.
		if (decision.touched.size > 0 && afterCommit) this.committed('the after-commit hook', afterCommit);
		for (const live of decision.touched) live.release();
		for (const action of decision.afterCommit) this.committed('a socket action after a decision', action);
		for (const live of decision.touched) live.resumeWrites();
		return result;
	}

	/** Runs what follows a commit: a failure is ours to log, not the caller's (its decision stands). */
	private committed(what: string, action: () => void) {
		try {
			action();
		} catch (err) {
			this.onError(`${what} failed`, err);
		}
	}

	/** The held rows of every document the decision changed (and the server's bindings), in its transaction. */
	private async appendHeld(tx: StoreTx, touched: Set<LiveDoc>) {
		const rows: LogRow[] = [];
		for (const live of touched) {
			for (const id of live.heldBindings()) await tx.log.bindClient(live.name, id, 'server');
			for (const row of live.heldRows()) rows.push(row);
		}
		if (rows.length > 0) await tx.log.append(rows);
	}

	/** Reloads a document after a rollback; one that cannot be read is unloaded (its peers reconnect). */
	private async discard(live: LiveDoc) {
		try {
			await live.discard();
		} catch (err) {
			this.onError(`reloading ${live.name} after a rollback failed; unloading it`, err);
			this.docs.unloadBroken(live);
		}
	}

	/** A peer joins a loaded document (an unload waiting for the grace period is called off). */
	attach(live: LiveDoc, peer: Peer) {
		this.docs.attach(live, peer);
	}

	/** A peer leaves (the document is unloaded a grace period after the last one). */
	detach(live: LiveDoc, peer: Peer) {
		this.docs.detach(live, peer);
	}

	/** B5: publish each committed row and our peers' awareness through `fanOut`, from now on. */
	fanOutWith(fanOut: FanOut) {
		this.fanOut = fanOut;
		const publish = (row: CommittedRow) => fanOut.publish(row);
		this.docs.publish = publish;
		this.docs.awareness = { publish: (doc, update) => fanOut.publishAwareness(doc, update), ask: (doc) => fanOut.askAwareness(doc) };
		for (const live of this.docs.all()) {
			live.publish = publish;
			this.docs.shareAwareness(live);
		}
	}

	/**
	 * B5: a socket action (closing an actor's sockets, making a document read-only): done here
	 * after the decision's commit, and published for the other instances to do to theirs.
	 */
	socketAction(action: SocketAction) {
		this.afterDecision(() => {
			this.doSocketAction(action);
			this.fanOut?.publishAction(action);
		});
	}

	/** Closes `actor`'s sockets on a document, on every instance (after the decision's commit). */
	closeActor(name: string, actor: string, code: number, reason: string) {
		this.socketAction({ kind: 'close-actor', doc: name, actor, code, reason });
	}

	/** Makes every socket on a document read-only, on every instance (after the decision's commit). */
	readOnly(name: string) {
		this.socketAction({ kind: 'read-only', doc: name });
	}

	/** Does a socket action to this instance's sockets (a session's are the gateway's: not here). */
	doSocketAction(action: SocketAction) {
		if (action.kind === 'close-actor')
			this.forEachPeer(action.doc, (p) => p.actor === action.actor && p.close(action.code, action.reason));
		else if (action.kind === 'read-only') this.forEachPeer(action.doc, (p) => (p.mode = 'read'));
	}

	/** Runs `action` after the current decision's commit (at once outside a decision). */
	afterDecision(action: () => void) {
		const decision = this.decisions.getStore();
		if (decision?.open) decision.afterCommit.push(action);
		else action();
	}

	/** B5: the loaded documents as the fan-out reaches them (rows, awareness, catching up). */
	get fanned(): FannedDocs {
		return this.docs;
	}

	/** Applies fn to every peer of a loaded document (closing sockets, downgrading to read). */
	forEachPeer(name: string, fn: (peer: Peer) => void) {
		// Inside a decision, sockets are closed or downgraded only once it committed, with its broadcasts.
		const decision = this.decisions.getStore();
		if (decision?.open) return void decision.afterCommit.push(() => this.forEachPeer(name, fn));
		const live = this.docs.loaded(name);
		if (live) for (const p of [...live.peers]) fn(p);
	}

	loadedCount() {
		return this.docs.count;
	}

	/** Stores the checked client updates waiting now (in the registry's turn), then applies them. */
	flush(): Promise<void> {
		return this.batch.flush();
	}

	/** Stores what waits, then unloads every document (each with a last checkpoint). */
	async closeAll(): Promise<void> {
		this.docs.stopSweeping();
		await this.turns.run(() => this.batch.flushAll());
		await this.docs.unloadAll();
	}
}
