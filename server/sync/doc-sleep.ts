import { deflateRawSync, inflateRawSync } from 'node:zlib';
import * as Y from 'yjs';

// An idle document sleeps: its Y.Doc (roughly 5× its encoded size in heap) is replaced by its
// state encoded as one update and deflated (chat JSON shrinks several times), from which sync
// answers are computed directly (inflate + diff, a fraction of a millisecond). The first change
// wakes it: a fresh Y.Doc from that update, as a load from a checkpoint does.

/** A sleeping document: its whole state as one deflated update, and its state vector. */
export interface SleepingState {
	packed: Uint8Array;
	sv: Uint8Array;
}

export function packToSleep(doc: Y.Doc): SleepingState {
	// Copied out: zlib's output can be a view of a larger chunk.
	const packed = new Uint8Array(deflateRawSync(Y.encodeStateAsUpdate(doc), { level: 1 }));
	return { packed, sv: Y.encodeStateVector(doc) };
}

/** What a peer with state vector `sv` misses (all of it without one), without waking. */
export function sleepingStateAsUpdate(sleeping: SleepingState, sv?: Uint8Array): Uint8Array {
	const state = inflateRawSync(sleeping.packed);
	return sv ? Y.diffUpdate(state, sv) : state;
}

/** Fills `doc` (its roots already created) with the sleeping state. */
export function wakeInto(doc: Y.Doc, sleeping: SleepingState) {
	Y.applyUpdate(doc, inflateRawSync(sleeping.packed));
}
