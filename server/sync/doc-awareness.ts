import { performance } from 'node:perf_hooks';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, outdatedTimeout, removeAwarenessStates } from 'y-protocols/awareness';
import type { Peer } from './peer';
import { encodeAwarenessMessage } from './protocol';

/**
 * A client's own awareness renewals are not echoed back to it (it does not need them), unless
 * nothing else was sent to it for this long: the stock client drops a socket that received
 * nothing for 30 s, and it renews its awareness every 15 s, so a lone client still hears from us.
 */
const KEEPALIVE_ECHO_MS = 10_000;

/** Origin of awareness another instance's clients sent (B5): sent to our peers, never published again. */
const REMOTE = Symbol('remote awareness');
/** Origin of the states a peer that went announced: their removal is published too. */
const PEER_LEFT = Symbol('peer left');

/**
 * The awareness of one document, on its own small Y.Doc (so the content can sleep and wake under
 * it). Every change (renewals too: they keep idle clients' sockets alive) goes to every other
 * peer; back to its sender only as a keepalive (KEEPALIVE_ECHO_MS).
 */
export class DocAwareness {
	private readonly doc = new Y.Doc();
	readonly awareness: Awareness;
	/** B5: awareness clientIDs that clients of other instances announced (ours may not claim them). */
	readonly remoteIds = new Set<number>();

	constructor(
		private readonly peers: Set<Peer>,
		private readonly broadcast: (data: Uint8Array, except: Peer | null) => void,
		/** B5: what our own peers announce (and their leaving), for the other instances. */
		private readonly publish: (update: Uint8Array) => void = () => {}
	) {
		this.awareness = new Awareness(this.doc);
		// Its own 3-second timer, one per document, is replaced by the registry's single sweep
		// over all documents (expire): a thousand loaded documents, one timer.
		clearInterval((this.awareness as unknown as { _checkInterval: NodeJS.Timeout })._checkInterval);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.onChange);
	}

	private readonly onChange = (c: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
		const changed = c.added.concat(c.updated, c.removed);
		const update = encodeAwarenessUpdate(this.awareness, changed);
		const message = encodeAwarenessMessage(update);
		if (origin === REMOTE) {
			for (const id of c.added.concat(c.updated)) this.remoteIds.add(id);
			for (const id of c.removed) this.remoteIds.delete(id);
		} else if (origin === PEER_LEFT || (origin && this.peers.has(origin as Peer))) this.publish(update);
		// Expiry ('timeout') is not published: every instance expires what it holds by itself.
		let from = null;
		if (origin && this.peers.has(origin as Peer)) {
			const sent = (origin as Peer).lastSentAt;
			if (sent !== undefined && performance.now() - sent < KEEPALIVE_ECHO_MS) from = origin as Peer;
		}
		this.broadcast(message, from);
	};

	/** Drops states not renewed for 30 s (what y-protocols' own timer does; we renew nothing). */
	expire(now: number) {
		const outdated: number[] = [];
		this.awareness.meta.forEach((meta, id) => {
			if (id !== this.awareness.clientID && outdatedTimeout <= now - meta.lastUpdated && this.awareness.states.has(id))
				outdated.push(id);
		});
		if (outdated.length > 0) removeAwarenessStates(this.awareness, outdated, 'timeout');
	}

	/** A peer went: the states it announced go with it. */
	removePeer(peer: Peer) {
		if (peer.awarenessIds.size > 0) removeAwarenessStates(this.awareness, [...peer.awarenessIds], PEER_LEFT);
	}

	/** B5: the states of our own peers, as one update (null: none). */
	localUpdate(): Uint8Array | null {
		const ids = [...this.awareness.getStates().keys()].filter((id) => id !== this.awareness.clientID && !this.remoteIds.has(id));
		return ids.length > 0 ? encodeAwarenessUpdate(this.awareness, ids) : null;
	}

	/**
	 * B5: awareness from another instance (rewritten and checked there). A clientID one of our own
	 * peers holds stays theirs: another instance's claim to it is not applied here.
	 */
	applyRemote(update: Uint8Array) {
		const claimed = new Set<number>();
		for (const p of this.peers) for (const id of p.awarenessIds) claimed.add(id);
		const filtered = claimed.size > 0 ? withoutClients(update, claimed) : update;
		if (filtered) applyAwarenessUpdate(this.awareness, filtered, REMOTE);
	}

	destroy() {
		this.awareness.destroy();
		this.doc.destroy();
	}
}

/** An awareness update without the entries of `drop` (null when none is left). */
function withoutClients(update: Uint8Array, drop: ReadonlySet<number>): Uint8Array | null {
	const d = decoding.createDecoder(update);
	const e = encoding.createEncoder();
	const kept: [number, number, string][] = [];
	for (let n = decoding.readVarUint(d); n > 0; n--) {
		const entry: [number, number, string] = [decoding.readVarUint(d), decoding.readVarUint(d), decoding.readVarString(d)];
		if (!drop.has(entry[0])) kept.push(entry);
	}
	if (kept.length === 0) return null;
	encoding.writeVarUint(e, kept.length);
	for (const [id, clock, json] of kept) {
		encoding.writeVarUint(e, id);
		encoding.writeVarUint(e, clock);
		encoding.writeVarString(e, json);
	}
	return encoding.toUint8Array(e);
}
