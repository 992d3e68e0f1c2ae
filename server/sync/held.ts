import * as Y from 'yjs';
import type { LogRow } from '../storage/update-log';
import type { Peer } from './peer';

/** A state vector naming no client (what a new, empty document sends): one varint 0. */
export const isEmptyStateVector = (sv: Uint8Array) => sv.length === 1 && sv[0] === 0;

/** Origin of a transaction the server makes (in the outbox): its actor is logged as the author. */
export class ServerWrite {
	constructor(readonly actor: string) {}
}

/**
 * What a decision holds back of one document until it ends (the outbox): the log rows of its
 * server writes and their broadcasts, and the committed state from before it, which is what sync
 * answers meanwhile (a new peer must not be sent a change that a rollback could take back).
 */
export class Held {
	readonly rows: LogRow[] = [];
	/** The server's clientIDs first used in the decision, bound to 'server' with its rows. */
	readonly bindings: number[] = [];
	readonly messages: { data: Uint8Array; from: Peer | null }[] = [];

	constructor(
		/** The whole committed state, as one update. */
		private readonly committed: Uint8Array,
		readonly committedSv: Uint8Array,
		/** The document's seq before the decision (its rows take the seqs after it). */
		readonly committedSeq: number
	) {}

	/** What a peer with state vector `sv` misses of the committed state (all of it without one). */
	stateAsUpdate(sv?: Uint8Array): Uint8Array {
		return sv && !isEmptyStateVector(sv) ? Y.diffUpdate(this.committed, sv) : this.committed;
	}
}
