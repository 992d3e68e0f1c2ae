import { performance } from 'node:perf_hooks';
import { parseDocName } from '../../src/lib/core/doc-name';
import { LiveDoc, warnOnError, type ErrorSink, type Peer } from './live-doc';
import { ClientWriteBatch } from './write-batch';
import type { UpdateLog } from './update-log';

/** How often stale awareness states and idle documents are looked for (y-protocols' own timer runs every 3 s). */
const AWARENESS_SWEEP_MS = 3000;
/** A loaded document whose content did not change for this long sleeps (LiveDoc.hibernate). */
export const HIBERNATE_AFTER_MS = 30_000;
/** Documents are put to sleep in slices of at most this long, with other work between them. */
const HIBERNATE_SLICE_MS = 4;

/**
 * Loads each document once, keeps it while peers use it, and unloads it a grace period after
 * the last one leaves. Instance state, never a module singleton (tests run several servers).
 */
export class DocRegistry {
	private readonly docs = new Map<string, LiveDoc>();
	/** Client updates of one event-loop turn share one log transaction (see ClientWriteBatch). */
	private readonly batch: ClientWriteBatch;

	constructor(
		private readonly log: UpdateLog,
		private readonly now: () => number,
		private readonly graceMs: number,
		private readonly hibernateAfterMs = HIBERNATE_AFTER_MS,
		private readonly onError: ErrorSink = warnOnError
	) {
		this.batch = new ClientWriteBatch(log);
		this.awarenessSweep = setInterval(() => {
			const now = Date.now();
			for (const live of this.docs.values()) live.expireAwareness(now);
			this.sleepIdle();
		}, AWARENESS_SWEEP_MS);
		this.awarenessSweep.unref();
	}
	private readonly awarenessSweep: NodeJS.Timeout;
	private sleepingRound: Iterator<LiveDoc> | null = null;

	/**
	 * Puts idle documents to sleep, in slices of at most HIBERNATE_SLICE_MS with other I/O between
	 * them (setImmediate), so that many documents going idle at once never stall the thread.
	 */
	private sleepIdle() {
		if (this.sleepingRound) return; // a round is under way
		this.sleepingRound = this.docs.values();
		const slice = () => {
			const round = this.sleepingRound;
			if (!round) return;
			const started = performance.now();
			for (;;) {
				const next = round.next();
				if (next.done) {
					this.sleepingRound = null;
					return;
				}
				next.value.hibernate(this.hibernateAfterMs);
				if (performance.now() - started >= HIBERNATE_SLICE_MS) return void setImmediate(slice);
			}
		};
		slice();
	}

	/** Loads the document if needed. SQLite reads are synchronous, so a doc can never load twice. */
	get(name: string): LiveDoc {
		let live = this.docs.get(name);
		if (!live) {
			const ref = parseDocName(name);
			if (!ref) throw new Error(`not a document name: ${name}`);
			live = new LiveDoc(name, ref, this.log, this.now, this.batch, this.onError);
			this.docs.set(name, live);
			this.scheduleUnload(live);
		}
		return live;
	}

	/** The server writes to a document (loading it for the write if needed). */
	change(name: string, actor: string, fn: Parameters<LiveDoc['change']>[1]) {
		const live = this.get(name);
		if (this.deciding && !this.deciding.has(live)) {
			live.hold();
			this.deciding.add(live);
		}
		live.change(actor, fn);
	}

	/** The documents a decision changed so far, while one runs. */
	private deciding: Set<LiveDoc> | null = null;
	/** What a decision does to sockets, done after its commit. */
	private afterCommit: (() => void)[] = [];

	/**
	 * One decision, one transaction (the outbox, ARCHITECTURE "Storage"): `run` — a verb, with its
	 * facts and audit rows — and every document change it makes are committed together by
	 * `transaction`, and broadcast only after the commit. A throw rolls all of it back and the
	 * documents it changed are loaded again from the log; nobody saw any of it. `afterCommit` runs
	 * between the commit and the broadcasts of a decision that changed documents (fault-injection
	 * tests stop the process there; the expiry sweep's empty decisions never reach it).
	 */
	decide<T>(transaction: <R>(fn: () => R) => R, run: () => T, afterCommit?: () => void): T {
		if (this.deciding) return run(); // a verb called by a verb: part of the outer decision
		this.batch.flush(); // client updates already checked are stored first, in their own transaction
		const touched = new Set<LiveDoc>();
		this.deciding = touched;
		let result: T;
		try {
			result = transaction(run);
		} catch (err) {
			this.deciding = null;
			this.afterCommit = [];
			for (const live of touched) live.discard();
			throw err;
		}
		this.deciding = null;
		// Only a decision with something to broadcast has a moment between commit and broadcast.
		if (touched.size > 0) afterCommit?.();
		for (const live of touched) live.release();
		for (const action of this.afterCommit.splice(0)) action();
		return result;
	}

	attach(live: LiveDoc, peer: Peer) {
		if (live.unloadTimer) {
			clearTimeout(live.unloadTimer);
			live.unloadTimer = null;
		}
		live.peers.add(peer);
	}

	detach(live: LiveDoc, peer: Peer) {
		live.removePeer(peer);
		this.scheduleUnload(live);
	}

	/** Applies fn to every peer of a loaded document (closing sockets, downgrading to read). */
	forEachPeer(name: string, fn: (peer: Peer) => void) {
		// Inside a decision, sockets are closed or downgraded only once it committed, with its broadcasts.
		if (this.deciding) return void this.afterCommit.push(() => this.forEachPeer(name, fn));
		const live = this.docs.get(name);
		if (live) for (const p of [...live.peers]) fn(p);
	}

	loadedCount() {
		return this.docs.size;
	}

	private scheduleUnload(live: LiveDoc) {
		if (live.peers.size > 0 || live.unloadTimer) return;
		live.unloadTimer = setTimeout(() => {
			live.unloadTimer = null;
			// Re-check: a peer may have come back during the grace period.
			if (live.peers.size > 0 || this.docs.get(live.name) !== live) return;
			this.docs.delete(live.name);
			live.destroy();
		}, this.graceMs);
		live.unloadTimer.unref();
	}

	closeAll() {
		clearInterval(this.awarenessSweep);
		this.sleepingRound = null;
		this.batch.flush();
		for (const live of this.docs.values()) live.destroy();
		this.docs.clear();
	}
}
