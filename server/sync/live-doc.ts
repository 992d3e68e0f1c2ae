import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { DocRef } from '../../src/lib/core/doc-name';
import type { LogRow, UpdateLog } from '../storage/update-log';
import { SharedMessage, encodeUpdateMessage } from './protocol';
import type { ClientWriteBatch } from './write-batch';
import { Held, ServerWrite } from './held';
import { ClientWrites, LoggedClientWrite } from './client-writes';
import { DocAwareness } from './doc-awareness';
import type { Peer } from './peer';
import { warnOnError, type ErrorSink } from './error-sink';
import { monotonicMs } from './doc-content';
import { CHECKPOINT_EVERY, LoggedDoc } from './logged-doc';
import { CatchUp, type RemoteRow } from './catch-up';
import { publishHeld, type CommittedRow } from './fan-out';
import { accessActions } from './remote-access';
import type { SocketAction } from './socket-actions';

/** Origin of an update another instance appended (B5): in the log already, sent to every peer here. */
class RemoteWrite {}
const REMOTE = new RemoteWrite();

// Tests and bench take these from here, with the LiveDoc they go with.
export type { Peer } from './peer';
export { createRoots } from './doc-content';

/**
 * One loaded document: its content and place in the log (LoggedDoc, DocContent), its peers and
 * awareness. Constructed, then `await load()`. Server writes go through the outbox (`hold` …
 * `release` or `discard`, driven by the registry's decisions), client writes through the batch.
 */
export class LiveDoc extends LoggedDoc {
	/** Who is here and typing (not part of the content, never logged; B5: shared with other instances). */
	readonly presence: DocAwareness;
	readonly peers = new Set<Peer>();
	/** While a decision that changed this document is open: what it holds back (the outbox). */
	private held: Held | null = null;
	unloadTimer: NodeJS.Timeout | null = null;
	/** Checked client updates waiting for their append, and writes waiting to be checked. */
	private readonly writes: ClientWrites;
	/** What other instances appended to this document, applied here in seq order (B5). */
	readonly catchUp: CatchUp;
	/** B5: tells the other instances of each row committed here (set when the bus is on). */
	publish: ((row: CommittedRow) => void) | null = null;
	/** B5: tells the other instances what this instance's peers announce (set when the bus is on). */
	publishAwareness: ((update: Uint8Array) => void) | null = null;
	/** B5: what another instance's rows did to access here (remote-access.ts); set by LoadedDocs. */
	onRemoteAccess: ((actions: SocketAction[]) => void) | null = null;

	constructor(
		name: string,
		ref: DocRef,
		log: UpdateLog,
		now: () => number,
		batch: ClientWriteBatch | null = null,
		onError: ErrorSink = warnOnError
	) {
		super(name, ref, log, now, onError);
		this.writes = new ClientWrites(this, log, batch, now, onError);
		this.catchUp = new CatchUp(this, log, onError);
		this.presence = new DocAwareness(
			this.peers,
			(data, except) => this.broadcast(data, except),
			(update) => this.publishAwareness?.(update)
		);
	}

	/**
	 * The outbox (ARCHITECTURE "Storage"): from now until `release` or `discard`, this document's
	 * server writes wait as log rows for the decision to append inside its transaction, their
	 * broadcasts are held, sync is answered from the state before the decision, and client writes
	 * wait: nobody sees a change that a rollback or a crash could take back.
	 */
	hold() {
		this.held ??= new Held(this.stateAsUpdate(), this.stateVector(), this.seq);
	}

	/** The rows of the server writes held so far, for the decision's transaction. */
	heldRows(): readonly LogRow[] {
		return this.held?.rows ?? [];
	}

	/** ClientIDs of the server first used in the decision: bound to 'server' with its rows. */
	heldBindings(): readonly number[] {
		return this.held?.bindings ?? [];
	}

	/** The decision committed: send what was held (client writes wait on until `resumeWrites`). */
	release() {
		const held = this.held;
		this.held = null;
		if (held) for (const h of held.messages) this.broadcast(h.data, h.from);
		if (held && this.publish) publishHeld(this.publish, held);
		if (this.sinceCheckpoint >= CHECKPOINT_EVERY) void this.checkpoint();
		this.catchUp.applyReady();
	}

	/**
	 * Checks the client writes that waited for the decision, once what it does to sockets is done
	 * (a peer it made read-only or closed must not write after it).
	 */
	resumeWrites() {
		this.writes.drain();
	}

	/**
	 * The decision rolled back: its changes are in memory but not in the log. Nothing was sent;
	 * the content is loaded again from the log (sync answers the state before the decision
	 * meanwhile). A client update that was waiting was checked against the discarded state: it is
	 * refused (1011; its writer re-sends it on reconnect). Rejects when the log cannot be read (the
	 * document is then broken: the registry unloads it).
	 */
	async discard(): Promise<void> {
		this.hold(); // a rollback before any change held it
		const { committedSv, committedSeq } = this.held!;
		this.writes.failPending(new Error('a decision on this document rolled back'));
		await this.reload();
		this.held = null;
		// B5: the log may hold rows another instance appended (the rollback may be a taken seq):
		// the peers here get them now, as one update.
		if (this.seq !== committedSeq) this.broadcast(encodeUpdateMessage(this.stateAsUpdate(committedSv)), null);
		this.catchUp.applyReady();
		this.writes.drain();
	}

	/** For the registry, inside a decision that holds this document: the server writes as `actor`. */
	write(actor: string, fn: (doc: Y.Doc) => void) {
		if (!this.held) throw new Error(`${this.name}: a server write outside a decision`);
		const doc = this.doc;
		doc.transact(() => fn(doc), new ServerWrite(actor));
	}

	/**
	 * The server changes the document as `actor`: inside a held decision, part of it; otherwise as
	 * an outbox of its own (logged, then broadcast; a failed append leaves the document as it was).
	 */
	async change(actor: string, fn: (doc: Y.Doc) => void): Promise<void> {
		if (this.held) return this.write(actor, fn);
		this.hold();
		try {
			this.write(actor, fn);
			for (const id of this.heldBindings()) await this.log.bindClient(this.name, id, 'server');
			if (this.heldRows().length > 0) await this.log.append(this.heldRows());
		} catch (err) {
			await this.discard();
			throw err;
		}
		this.release();
		this.resumeWrites();
	}

	/** Our state vector (committed state only; a sleeping document answers without waking). */
	override stateVector(): Uint8Array {
		if (this.held) return this.held.committedSv;
		return super.stateVector();
	}

	/** What a peer with state vector `sv` misses (all of it without one), of the committed state. */
	override stateAsUpdate(sv?: Uint8Array): Uint8Array {
		if (this.held) return this.held.stateAsUpdate(sv);
		return super.stateAsUpdate(sv);
	}

	/**
	 * Whether a decision holds it or a client write waits: then it is not put to sleep or
	 * unloaded, and a new client write waits (`afterWrites`) to be checked against the state it
	 * will be applied to.
	 */
	get busy() {
		return this.held !== null || this.writes.busy;
	}

	/** Whether a decision holds the document (client writes wait, nothing is checkpointed). */
	get isHeld(): boolean {
		return this.held !== null;
	}

	/**
	 * Every change of the content: a client's (in the log already) is broadcast now, the server's
	 * waits in the outbox.
	 */
	protected readonly onUpdate = (update: Uint8Array, origin: unknown, doc: Y.Doc, tr: Y.Transaction) => {
		this.lastChangeAt = monotonicMs();
		this.wholeState = null;
		this.noteRecent(tr, this.now());
		this.sinceCheckpoint++;
		if (origin === REMOTE) {
			this.broadcast(encodeUpdateMessage(update), null);
			if (this.sinceCheckpoint >= CHECKPOINT_EVERY) void this.checkpoint();
			return;
		}
		if (origin instanceof LoggedClientWrite) {
			// One encoding for everyone; a client's own update is not echoed back to it.
			this.broadcast(encodeUpdateMessage(update), origin.peer);
			if (this.sinceCheckpoint >= CHECKPOINT_EVERY) void this.checkpoint();
			return;
		}
		this.holdServerWrite(update, origin, doc.clientID);
	};

	/** A server write: its log row and its broadcast wait in the outbox for the decision's end. */
	private holdServerWrite(update: Uint8Array, origin: unknown, clientId: number) {
		const held = this.held;
		if (!held) {
			// Only change() writes as the server, inside the outbox: a write anywhere else is a bug.
			this.onError(`${this.name} was changed outside change(); not logged`, new Error('write outside the outbox'));
			return;
		}
		// The server's clientID belongs to 'server', whoever the write is on behalf of: bound to
		// that actor, it would be theirs to write with after the next load.
		if (!this.clientOwners.has(clientId)) {
			this.clientOwners.set(clientId, 'server');
			held.bindings.push(clientId);
		}
		const actor = origin instanceof ServerWrite ? origin.actor : 'server';
		held.rows.push({ doc: this.name, seq: ++this.seq, update, actor, at: this.now(), clientIds: [] });
		held.messages.push({ data: encodeUpdateMessage(update), from: null });
	}

	private broadcast(data: Uint8Array, except: Peer | null) {
		let shared: SharedMessage | null = null;
		for (const p of this.peers) {
			if (p === except) continue;
			if (p.sendShared) p.sendShared((shared ??= new SharedMessage(data)));
			else p.send(data);
		}
	}

	/**
	 * Appends a checked client update to the log alone, then applies and broadcasts it (tools and
	 * tests that drive a document directly; the gateway goes through submitClientUpdate).
	 */
	async applyClientUpdate(peer: Peer, update: Uint8Array, newClientIds: readonly number[]): Promise<void> {
		await this.log.append([{ doc: this.name, seq: this.seq + 1, update, actor: peer.actor, at: this.now(), clientIds: newClientIds }]);
		this.applyLogged(peer, update, newClientIds);
	}

	/** Runs `check` once the writes in front of it are applied (or refused), in arrival order. */
	afterWrites(check: () => void) {
		this.writes.afterWrites(check);
	}

	/** A client write that needs a read before its check: later writes wait behind it (ClientWrites.waitFor). */
	waitFor(lookup: Promise<unknown>, again: (failed: boolean) => void) {
		this.writes.waitFor(lookup, again);
	}

	/**
	 * A checked client update, to be appended with the other writes of this event-loop turn in one
	 * call, then applied and broadcast (without a batch: alone, at once).
	 */
	submitClientUpdate(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.writes.submit(peer, update, newClientIds);
	}

	/** Applies a client update that is in the log (for ClientWrites and applyClientUpdate). */
	applyLogged(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.seq++;
		for (const id of newClientIds) this.clientOwners.set(id, peer.actor);
		Y.applyUpdate(this.doc, update, new LoggedClientWrite(peer));
		this.publish?.({ doc: this.name, seq: this.seq, update, owners: newClientIds.map((id) => [id, peer.actor] as const) });
	}

	/** Set once unloaded: rows of other instances are not applied to freed content. */
	private gone = false;

	/** Whether rows of other instances may be applied now (no decision holds it, no own append in flight). */
	get canApplyRemote(): boolean {
		return this.held === null && !this.writes.inFlight && !this.gone;
	}

	/** A row another instance appended, next in seq order (CatchUp calls it). */
	applyRemote(row: RemoteRow) {
		this.seq = row.seq;
		for (const [id, owner] of row.owners) if (!this.clientOwners.has(id)) this.clientOwners.set(id, owner);
		// One transaction, as applyUpdate alone makes; its `changed` says what the row touched.
		let actions: SocketAction[] = [];
		this.doc.transact((tr) => {
			Y.applyUpdate(this.doc, row.update, REMOTE);
			if (this.onRemoteAccess) actions = accessActions(this.ref, this.doc, tr.changed);
		}, REMOTE);
		if (actions.length) this.onRemoteAccess?.(actions);
	}

	/** An own append settled (stored or refused): rows of other instances waiting for it go in. */
	settled() {
		this.catchUp.applyReady();
	}

	get awareness(): Awareness {
		return this.presence.awareness;
	}

	/** Drops awareness states not renewed for 30 s (the registry's sweep calls it). */
	expireAwareness(now = Date.now()) {
		this.presence.expire(now);
	}

	removePeer(peer: Peer) {
		this.peers.delete(peer);
		this.presence.removePeer(peer);
	}

	/** Unloads: a last checkpoint (resolved once saved), then the memory is freed. */
	destroy(): Promise<void> {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.unloadTimer = null;
		this.writes.clear();
		this.catchUp.stop();
		this.gone = true;
		const saved = this.checkpoint(); // the state is taken now, before it is freed
		this.presence.destroy();
		this.freeContent();
		return saved;
	}
}
