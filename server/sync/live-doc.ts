import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate, outdatedTimeout, removeAwarenessStates } from 'y-protocols/awareness';
import type { DocRef } from '../../src/lib/core/doc-name';
import * as ROOT from '../../src/lib/core/doc-roots';
import { createRoots as createDocRoots } from '../../src/lib/core/doc-roots';
import type { LogRow, UpdateLog } from './update-log';
import { CLOSE, SharedMessage, encodeAwarenessMessage, encodeUpdateMessage } from './protocol';
import { RecentAppends } from './recent-appends';
import { packToSleep, sleepingStateAsUpdate, wakeInto, type SleepingState } from './doc-sleep';
import type { ClientWriteBatch } from './write-batch';
import { MessageIds } from './message-ids';
import { APPEND_WINDOW_MS } from './limits';

/** Something attached to a document that receives its broadcasts (a socket, in practice). */
export interface Peer {
	send(message: Uint8Array): void;
	/** The same message for many peers, framed once (a socket writes the frame as it is). */
	sendShared?(message: SharedMessage): void;
	/** When something was last sent to this peer (ms, monotonic); absent: unknown. */
	lastSentAt?: number;
	close(code: number, reason: string): void;
	/** Awareness clientIDs this peer announced, removed when it goes. */
	awarenessIds: Set<number>;
	mode: 'read' | 'write';
	actor: string;
}

/** Where the sync layer reports failures on our side (main wires the structured log). */
export type ErrorSink = (what: string, err: unknown) => void;
/** Without a log (unit tests that build documents directly): a process warning. */
export const warnOnError: ErrorSink = (what, err) => process.emitWarning(`${what}: ${err instanceof Error ? err.message : String(err)}`);

/** Origin of a transaction the server makes: its actor is logged as the author. */
export class ServerWrite {
	constructor(readonly actor: string) {}
}
/** Origin of a client update that was already appended to the log before being applied. */
export class LoggedClientWrite {
	constructor(readonly peer: Peer) {}
}

/** Creates the document's roots before any update is applied (the core's one list of them). */
export function createRoots(doc: Y.Doc, ref: DocRef) {
	createDocRoots(doc, ref.kind);
}

const CHECKPOINT_EVERY = 500;
/**
 * A client's own awareness renewals are not echoed back to it (it does not need them), unless
 * nothing else was sent to it for this long: the stock client drops a socket that received
 * nothing for 30 s, and it renews its awareness every 15 s, so a lone client still hears from us.
 */
const KEEPALIVE_ECHO_MS = 10_000;
const monotonicMs = () => performance.now();
/** A state vector naming no client (what a new, empty document sends): one varint 0. */
const isEmptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;


/** One loaded document: its Y.Doc, awareness, peers, log position and clientID bindings. */
export class LiveDoc {
	/** The document's content, or null while it sleeps (see hibernate). */
	private content: Y.Doc | null = new Y.Doc({ gc: true });
	/** While asleep: the whole state as one update (deflated), and its state vector. */
	private sleeping: SleepingState | null = null;
	/** The whole content encoded, kept until it changes (see stateAsUpdate). */
	private wholeState: Uint8Array | null = null;
	/** When the content last changed (monotonic ms). */
	private lastChangeAt = monotonicMs();
	/** Awareness lives on its own small doc, so the content can sleep and wake under it. */
	private readonly awarenessDoc = new Y.Doc();
	readonly awareness: Awareness;
	readonly peers = new Set<Peer>();
	clientOwners: Map<number, string>;
	seq: number;
	/** While a decision's transaction is open: its broadcasts, sent once it committed (the outbox). */
	private held: { data: Uint8Array; from: Peer | null }[] | null = null;
	/** When recent elements were received (T1: which ones a new message may land before). */
	readonly recent = new RecentAppends(APPEND_WINDOW_MS);
	/** Ids of the messages in `messages` (T2: unique), while the content is awake. */
	private ids: MessageIds | null = null;
	private sinceCheckpoint = 0;
	unloadTimer: NodeJS.Timeout | null = null;
	/** A checked client update waiting for the batch's commit (see ClientWriteBatch). */
	private pending: { peer: Peer; update: Uint8Array; newClientIds: readonly number[]; at: number; logged: boolean } | null = null;

	constructor(
		readonly name: string,
		readonly ref: DocRef,
		private readonly log: UpdateLog,
		private readonly now: () => number,
		private readonly batch: ClientWriteBatch | null = null,
		private readonly onError: ErrorSink = warnOnError
	) {
		this.seq = 0;
		this.clientOwners = new Map();
		this.loadFromLog(this.content!);
		this.awareness = new Awareness(this.awarenessDoc);
		// Its own 3-second timer, one per document, is replaced by the registry's single sweep
		// over all documents (expireAwareness): a thousand loaded documents, one timer.
		clearInterval((this.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.onAwareness);
		this.content!.on('update', this.onUpdate);
	}

	/** Fills a fresh `doc` from the log: latest checkpoint, then the updates after it. */
	private loadFromLog(doc: Y.Doc) {
		createRoots(doc, this.ref);
		const loaded = this.log.load(this.name);
		if (loaded.checkpoint) Y.applyUpdate(doc, loaded.checkpoint.state);
		const since = this.now() - APPEND_WINDOW_MS;
		for (const u of loaded.updates) {
			// What reached the log within the window is still recent after a restart.
			const note = (tr: Y.Transaction) => this.noteRecent(tr, u.at);
			if (u.at >= since) doc.on('afterTransaction', note);
			Y.applyUpdate(doc, u.update);
			doc.off('afterTransaction', note);
		}
		this.seq = loaded.lastSeq;
		this.sinceCheckpoint = loaded.updates.length;
		this.clientOwners = loaded.clients;
	}

	/**
	 * The outbox (ARCHITECTURE "Storage"): from now until `release` or `discard`, this document's
	 * changes are appended to the log inside the decision's open transaction and their broadcasts
	 * are held, so nobody sees a change that a rollback or a crash could take back.
	 */
	hold() {
		this.settle();
		this.held ??= [];
	}

	/** The decision committed: send what was held. */
	release() {
		const held = this.held ?? [];
		this.held = null;
		for (const h of held) this.broadcast(h.data, h.from);
	}

	/**
	 * The decision rolled back: its changes are in memory but not in the log. Nothing was sent, so
	 * the content is loaded again from the log and nobody saw the difference.
	 */
	discard() {
		this.held = null;
		const fresh = new Y.Doc({ gc: true });
		this.loadFromLog(fresh);
		this.content?.off('update', this.onUpdate);
		this.ids = null;
		this.content?.destroy();
		this.content = fresh;
		this.sleeping = null;
		this.wholeState = null;
		fresh.on('update', this.onUpdate);
	}

	/** The live Y.Doc (woken from sleep if needed). */
	get doc(): Y.Doc {
		return this.content ?? this.wake();
	}

	/** Ids of the messages in the document (built when first asked, kept while awake). */
	messageIds(): MessageIds {
		return (this.ids ??= new MessageIds(this.doc.getArray(ROOT.MESSAGES)));
	}

	/** What a transaction added, once over its clients: when it arrived (T1), its message ids (T2). */
	private noteRecent(tr: Y.Transaction, at: number) {
		for (const [client, after] of tr.afterState) {
			const before = tr.beforeState.get(client) ?? 0;
			if (after <= before) continue;
			this.recent.note(client, before, after, at);
			this.ids?.noteRange(tr.doc.store, client, before, after);
		}
	}

	/** Our state vector (a sleeping document answers without waking). */
	stateVector(): Uint8Array {
		return this.content ? Y.encodeStateVector(this.content) : this.sleeping!.sv;
	}

	/** What a peer with state vector `sv` misses (all of it without one); asleep, without waking. */
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
		if (!doc || this.pending || now - this.lastChangeAt < idleMs) return false;
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

	private readonly onUpdate = (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => {
		this.lastChangeAt = monotonicMs();
		this.wholeState = null;
		this.noteRecent(tr, this.now());
		if (!(origin instanceof LoggedClientWrite)) {
			// A server write: log it (durable) before anyone can see it.
			const actor = origin instanceof ServerWrite ? origin.actor : 'server';
			const clientId = this.doc.clientID;
			if (!this.clientOwners.has(clientId)) {
				// The server's clientID belongs to 'server', whoever the write is on behalf of: bound to
				// that actor, it would be theirs to write with after the next load.
				this.clientOwners.set(clientId, 'server');
				this.log.bindClient(this.name, clientId, 'server');
			}
			this.log.appendWithClients(this.name, ++this.seq, update, actor, this.now(), []);
		}
		this.sinceCheckpoint++;
		// One encoding for everyone; a client's own update is not echoed back to it.
		const from = origin instanceof LoggedClientWrite ? origin.peer : null;
		if (this.held) this.held.push({ data: encodeUpdateMessage(update), from });
		else this.broadcast(encodeUpdateMessage(update), from);
		if (this.sinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint();
	};

	// Every awareness change (renewals too: they keep idle clients' sockets alive) goes to every
	// other peer; back to its sender only as a keepalive (KEEPALIVE_ECHO_MS).
	private readonly onAwareness = (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
		const changed = c.added.concat(c.updated, c.removed);
		const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, changed));
		let from = null;
		if (origin && this.peers.has(origin as Peer)) {
			const sent = (origin as Peer).lastSentAt;
			if (sent !== undefined && monotonicMs() - sent < KEEPALIVE_ECHO_MS) from = origin as Peer;
		}
		this.broadcast(message, from);
	};

	private broadcast(data: Uint8Array, except: Peer | null) {
		let shared: SharedMessage | null = null;
		for (const p of this.peers) {
			if (p === except) continue;
			if (p.sendShared) p.sendShared((shared ??= new SharedMessage(data)));
			else p.send(data);
		}
	}

	/** Appends a checked client update to the log, then applies and broadcasts it (now). */
	applyClientUpdate(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.settle();
		this.log.appendWithClients(this.name, this.seq + 1, update, peer.actor, this.now(), newClientIds);
		this.applyLogged(peer, update, newClientIds);
	}

	/**
	 * A checked client update, to be appended with the other writes of this event-loop turn in one
	 * transaction, then applied and broadcast (without a batch: at once, like applyClientUpdate).
	 */
	submitClientUpdate(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		if (!this.batch) return this.applyClientUpdate(peer, update, newClientIds);
		this.settle();
		this.pending = { peer, update, newClientIds, at: this.now(), logged: false };
		this.batch.add(this);
	}

	/** Commits a waiting client update first, so what follows sees the document it will change. */
	settle() {
		if (!this.pending) return;
		if (this.pending.logged) this.commitPending(); // in the log already (a flush is under way)
		else this.batch?.flush();
	}

	/** For ClientWriteBatch: the log row of the waiting update. */
	pendingRow(): LogRow {
		const p = this.pending!;
		p.logged = true;
		return { doc: this.name, seq: this.seq + 1, update: p.update, actor: p.peer.actor, at: p.at, clientIds: p.newClientIds };
	}

	/** For ClientWriteBatch: the waiting update is in the log; apply and broadcast it. */
	commitPending() {
		const p = this.pending;
		if (!p?.logged) return; // committed already (by settle during the flush)
		this.pending = null;
		try {
			this.applyLogged(p.peer, p.update, p.newClientIds);
		} catch (err) {
			// Checked, so not expected; it is in the log and will be applied on the next load.
			this.onError(`applying a logged update of ${this.name} failed`, err);
		}
	}

	/** For ClientWriteBatch: the waiting update could not be stored; its writer re-sends it later. */
	failPending(err: unknown) {
		const p = this.pending;
		if (!p) return;
		this.pending = null;
		this.onError(`storing an update of ${this.name} failed`, err);
		p.peer.close(CLOSE.INTERNAL_ERROR, 'could not store the update; reconnecting');
	}

	private applyLogged(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.seq++;
		for (const id of newClientIds) this.clientOwners.set(id, peer.actor);
		Y.applyUpdate(this.doc, update, new LoggedClientWrite(peer));
	}

	/** The server changes the document as `actor` (logged, then broadcast). */
	change(actor: string, fn: (doc: Y.Doc) => void) {
		this.settle();
		this.doc.transact(() => fn(this.doc), new ServerWrite(actor));
	}

	checkpoint() {
		this.settle();
		if (this.sinceCheckpoint === 0) return;
		this.log.saveCheckpoint(this.name, this.seq, this.stateAsUpdate(), this.now());
		this.sinceCheckpoint = 0;
	}

	/**
	 * Drops awareness states not renewed for 30 s (what y-protocols' own timer does; the server
	 * has no local state to renew). Called by the registry's sweep.
	 */
	expireAwareness(now = Date.now()) {
		const outdated: number[] = [];
		this.awareness.meta.forEach((meta, id) => {
			if (id !== this.awareness.clientID && outdatedTimeout <= now - meta.lastUpdated && this.awareness.states.has(id))
				outdated.push(id);
		});
		if (outdated.length > 0) removeAwarenessStates(this.awareness, outdated, 'timeout');
	}

	removePeer(peer: Peer) {
		this.peers.delete(peer);
		if (peer.awarenessIds.size > 0)
			removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
	}

	destroy() {
		this.settle();
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.checkpoint();
		this.awareness.destroy();
		this.awarenessDoc.destroy();
		if (this.content) {
			this.content.off('update', this.onUpdate);
			this.content.destroy();
			this.content = null;
		}
		this.ids = null;
		this.sleeping = null;
	}
}
