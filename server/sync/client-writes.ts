import { SeqTakenError, type LogRow, type UpdateLogWriter } from '../storage/update-log';
import { CLOSE } from './protocol';
import type { ErrorSink } from './error-sink';
import type { Peer } from './peer';
import type { ClientWriteBatch, PendingWriter } from './write-batch';

/** Origin of a client update that was already appended to the log before being applied. */
export class LoggedClientWrite {
	constructor(readonly peer: Peer) {}
}

/** What the client writes of one document need of it. */
export interface WrittenDoc {
	readonly name: string;
	/** The seq of the document's last stored update. */
	readonly seq: number;
	/** Whether a decision holds the document (client writes wait for its end). */
	readonly isHeld: boolean;
	/** Applies an update that is in the log (and binds its new clientIDs). */
	applyLogged(peer: Peer, update: Uint8Array, newClientIds: readonly number[]): void;
	/** Reads and applies what other instances appended after our seq (B5). */
	readonly catchUp: { fromLog(): Promise<void> };
	/** The waiting update was stored or refused (rows of other instances may go in now). */
	settled(): void;
}

/** A checked client update waiting for the batch (`logged`: its row is being appended). */
interface PendingUpdate {
	peer: Peer;
	update: Uint8Array;
	newClientIds: readonly number[];
	at: number;
	logged: boolean;
	/** Times its seq was taken by another instance (B5): it caught up and tried again. */
	taken: number;
}

/** A seq taken this often in a row: the writer is refused (1011) rather than tried on forever. */
const MAX_SEQ_TAKEN = 20;

/**
 * The client writes of one document: at most one checked update waits for its append (durable
 * before visible); a write arriving meanwhile, or while a decision holds the document, waits to be
 * checked until then (`afterWrites`), in arrival order, so that every update is checked against
 * the state it will be applied to.
 */
export class ClientWrites implements PendingWriter {
	private pending: PendingUpdate | null = null;
	private waiting: (() => void)[] = [];
	/** Reads a check waits for (B9: a chat's uploads from the table); writes wait behind them. */
	private lookups = 0;

	constructor(
		private readonly doc: WrittenDoc,
		private readonly log: UpdateLogWriter,
		private readonly batch: ClientWriteBatch | null,
		private readonly now: () => number,
		private readonly onError: ErrorSink
	) {}

	/** Whether an update waits for its append, or writes wait to be checked. */
	get busy(): boolean {
		return this.pending !== null || this.waiting.length > 0 || this.lookups > 0;
	}

	/** Whether the waiting update's row is being appended (its seq is spoken for). */
	get inFlight(): boolean {
		return this.pending?.logged === true;
	}

	/** Runs `check` once the writes in front of it are applied (or refused). */
	afterWrites(check: () => void) {
		this.waiting.push(check);
	}

	/** Lets the waiting writes be checked, one until it makes an update wait, and so on. */
	drain() {
		while (!this.pending && this.lookups === 0 && !this.doc.isHeld && this.waiting.length > 0) this.waiting.shift()!();
	}

	/**
	 * A write whose check needs a read first: the writes behind it wait for `lookup`, then `again`
	 * checks it once more before any of them (told whether the read failed).
	 */
	waitFor(lookup: Promise<unknown>, again: (failed: boolean) => void) {
		let failed = false;
		this.lookups++;
		this.waiting.unshift(() => again(failed));
		lookup
			.catch((err) => {
				failed = true;
				this.onError(`a lookup for a write to ${this.doc.name} failed`, err);
			})
			.finally(() => {
				this.lookups--;
				this.drain();
			});
	}

	/** A checked update: appended with the batch (without one: alone, at once), then applied. */
	submit(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.pending = { peer, update, newClientIds, at: this.now(), logged: false, taken: 0 };
		this.store();
	}

	private store() {
		if (this.batch) return this.batch.add(this);
		const row = this.pendingRow();
		if (row)
			this.log.append([row]).then(
				() => this.commitPending(),
				(err) => this.failPending(err)
			);
	}

	/** For ClientWriteBatch: the log row of the waiting update (its seq is the next one now). */
	pendingRow(): LogRow | null {
		const p = this.pending;
		if (!p || p.logged) return null;
		p.logged = true;
		return { doc: this.doc.name, seq: this.doc.seq + 1, update: p.update, actor: p.peer.actor, at: p.at, clientIds: p.newClientIds };
	}

	/** For ClientWriteBatch: the waiting update is in the log; apply and broadcast it. */
	commitPending() {
		const p = this.pending;
		if (!p?.logged) return;
		this.pending = null;
		try {
			this.doc.applyLogged(p.peer, p.update, p.newClientIds);
		} catch (err) {
			// Checked, so not expected; it is in the log and will be applied on the next load.
			this.onError(`applying a logged update of ${this.doc.name} failed`, err);
		}
		this.doc.settled();
		this.drain();
	}

	/** The waiting update could not be stored (or a rollback voided its check): its writer re-sends it. */
	failPending(err: unknown) {
		const p = this.pending;
		if (!p) return;
		if (err instanceof SeqTakenError && p.logged && p.taken < MAX_SEQ_TAKEN) return this.afterTaken(p);
		this.pending = null;
		this.doc.settled();
		this.onError(`storing an update of ${this.doc.name} failed`, err);
		p.peer.close(CLOSE.INTERNAL_ERROR, 'could not store the update; reconnecting');
		this.drain();
	}

	/**
	 * B5: another instance appended at our seq first. The update stays waiting (later writes still
	 * wait behind it); what the others appended is read and applied, then it is appended after it.
	 * It was checked against what its writer had seen, which the rows of the others do not change.
	 */
	private afterTaken(p: PendingUpdate) {
		p.logged = false;
		p.taken++;
		this.doc.settled();
		this.doc.catchUp.fromLog().then(
			() => this.pending === p && this.store(),
			(err) => this.pending === p && this.failPending(err)
		);
	}

	/** The document is unloaded: a waiting update is refused, waiting writes are dropped. */
	clear() {
		this.waiting = [];
		this.failPending(new Error('the document was unloaded'));
	}
}
