import { performance } from 'node:perf_hooks';
import { parseDocName } from '../../src/lib/core/doc-name';
import type { StoragePort } from '../storage/update-log';
import type { ErrorSink } from './error-sink';
import { LiveDoc } from './live-doc';
import type { Peer } from './peer';
import { CLOSE } from './protocol';
import type { ClientWriteBatch } from './write-batch';
import type { RemoteRow } from './catch-up';
import type { CommittedRow, FannedDocs } from './fan-out';
import type { SocketAction } from './socket-actions';

/** How often stale awareness states and idle documents are looked for (y-protocols' own timer runs every 3 s). */
const AWARENESS_SWEEP_MS = 3000;
/** A loaded document whose content did not change for this long sleeps (LiveDoc.hibernate). */
export const HIBERNATE_AFTER_MS = 30_000;
/** Documents are put to sleep in slices of at most this long, with other work between them. */
const HIBERNATE_SLICE_MS = 4;

/**
 * The loaded documents of a registry: each loaded once, kept while peers use it, unloaded a grace
 * period after the last one leaves, and swept (stale awareness dropped, idle content put to sleep).
 */
export class LoadedDocs implements FannedDocs {
	private readonly docs = new Map<string, LiveDoc>();
	private readonly loading = new Map<string, Promise<LiveDoc>>();
	private readonly sweep: NodeJS.Timeout;
	/** The documents a sleeping round has still to look at (see sleepIdle). */
	private sleepingRound: Iterator<LiveDoc> | null = null;
	/** B5: rows of other instances that arrived while their document loaded, offered once it has. */
	private readonly early = new Map<string, RemoteRow[]>();
	/** B5: tells the other instances of each committed row (set when the bus is on). */
	publish: ((row: CommittedRow) => void) | null = null;
	/** B5: awareness of our peers for the other instances, and asking them for theirs (a load). */
	awareness: { publish(doc: string, update: Uint8Array): void; ask(doc: string): void } | null = null;
	/** B5: socket actions another instance's rows call for here (remote-access.ts). */
	onRemoteAccess: ((actions: SocketAction[]) => void) | null = null;

	constructor(
		private readonly storage: StoragePort,
		private readonly now: () => number,
		private readonly graceMs: number,
		private readonly hibernateAfterMs: number,
		private readonly batch: ClientWriteBatch,
		private readonly onError: ErrorSink
	) {
		this.sweep = setInterval(() => {
			const now = Date.now();
			for (const live of this.docs.values()) live.expireAwareness(now);
			this.sleepIdle();
		}, AWARENESS_SWEEP_MS);
		this.sweep.unref();
	}

	/**
	 * The document, loaded once: callers that ask while it loads share that load, so it is never
	 * loaded twice; a load that failed is forgotten (the next caller tries again).
	 */
	get(name: string): Promise<LiveDoc> {
		const live = this.docs.get(name);
		if (live) return Promise.resolve(live);
		let loading = this.loading.get(name);
		if (!loading) {
			loading = this.load(name);
			this.loading.set(name, loading);
		}
		return loading;
	}

	/** A loaded document, without loading it. */
	loaded(name: string): LiveDoc | undefined {
		return this.docs.get(name);
	}

	get count() {
		return this.docs.size;
	}

	private async load(name: string): Promise<LiveDoc> {
		try {
			const ref = parseDocName(name);
			if (!ref) throw new Error(`not a document name: ${name}`);
			const live = new LiveDoc(name, ref, this.storage.log, this.now, this.batch, this.onError);
			live.publish = this.publish;
			live.onRemoteAccess = (actions) => this.onRemoteAccess?.(actions);
			this.shareAwareness(live);
			this.early.set(name, []);
			try {
				await live.load();
			} catch (err) {
				void live.destroy(); // nothing to save: it never held anything
				throw err;
			}
			this.docs.set(name, live);
			for (const row of this.early.get(name) ?? []) live.catchUp.offer(row);
			this.awareness?.ask(name);
			this.scheduleUnload(live);
			return live;
		} finally {
			this.loading.delete(name);
			this.early.delete(name);
		}
	}

	/** B5: a row another instance committed: to its document if loaded here (or loading), else dropped. */
	remote(name: string, row: RemoteRow) {
		const live = this.docs.get(name);
		if (live) return live.catchUp.offer(row);
		this.early.get(name)?.push(row);
	}

	/** B5: the document's peers' awareness goes to the other instances (when the bus is on). */
	shareAwareness(live: LiveDoc) {
		const awareness = this.awareness;
		live.publishAwareness = awareness ? (update) => awareness.publish(live.name, update) : null;
	}

	/** The loaded documents. */
	all(): IterableIterator<LiveDoc> {
		return this.docs.values();
	}

	/** B5: awareness of another instance's clients. */
	remoteAwareness(name: string, update: Uint8Array) {
		this.docs.get(name)?.presence.applyRemote(update);
	}

	/** B5: our peers' awareness of a loaded document. */
	localAwareness(name: string): Uint8Array | null {
		return this.docs.get(name)?.presence.localUpdate() ?? null;
	}

	/** B5: every loaded document reads what it missed from the log (after a bus reconnect). */
	async catchUpAll(): Promise<void> {
		await Promise.all([...this.docs.values()].map((live) => live.catchUp.fromLog()));
	}

	/** B5: each loaded document whose seq is behind the log's catches up (the periodic check). */
	async checkAll(): Promise<void> {
		for (const live of [...this.docs.values()]) {
			if ((await this.storage.log.lastSeq(live.name)) > live.seq) await live.catchUp.fromLog();
		}
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

	private scheduleUnload(live: LiveDoc) {
		if (live.peers.size > 0 || live.unloadTimer) return;
		live.unloadTimer = setTimeout(() => {
			live.unloadTimer = null;
			// Re-check: a peer may have come back during the grace period.
			if (live.peers.size > 0 || this.docs.get(live.name) !== live) return;
			// A decision holds it, or a client write waits: later.
			if (live.busy) return this.scheduleUnload(live);
			this.docs.delete(live.name);
			void live.destroy();
		}, this.graceMs);
		live.unloadTimer.unref();
	}

	/** Unloads a document that could not be read again after a rollback: its peers reconnect. */
	unloadBroken(live: LiveDoc) {
		if (this.docs.get(live.name) === live) this.docs.delete(live.name);
		for (const p of [...live.peers]) p.close(CLOSE.INTERNAL_ERROR, 'server error; reconnecting');
		void live.destroy();
	}

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

	/** Stops the sweep and a sleeping round under way (closing down). */
	stopSweeping() {
		clearInterval(this.sweep);
		this.sleepingRound = null;
	}

	/** Unloads every document (each with a last checkpoint), once the loads under way are over. */
	async unloadAll(): Promise<void> {
		await Promise.allSettled([...this.loading.values()]);
		const docs = [...this.docs.values()];
		this.docs.clear();
		await Promise.all(docs.map((live) => live.destroy()));
	}
}
