import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate, outdatedTimeout, removeAwarenessStates } from 'y-protocols/awareness';
import type { Peer } from './peer';
import { encodeAwarenessMessage } from './protocol';

/**
 * A client's own awareness renewals are not echoed back to it (it does not need them), unless
 * nothing else was sent to it for this long: the stock client drops a socket that received
 * nothing for 30 s, and it renews its awareness every 15 s, so a lone client still hears from us.
 */
const KEEPALIVE_ECHO_MS = 10_000;

/**
 * The awareness of one document, on its own small Y.Doc (so the content can sleep and wake under
 * it). Every change (renewals too: they keep idle clients' sockets alive) goes to every other
 * peer; back to its sender only as a keepalive (KEEPALIVE_ECHO_MS).
 */
export class DocAwareness {
	private readonly doc = new Y.Doc();
	readonly awareness: Awareness;

	constructor(
		private readonly peers: Set<Peer>,
		private readonly broadcast: (data: Uint8Array, except: Peer | null) => void
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
		const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, changed));
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
		if (peer.awarenessIds.size > 0) removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
	}

	destroy() {
		this.awareness.destroy();
		this.doc.destroy();
	}
}
