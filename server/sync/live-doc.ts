import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import type { DocRef } from '../../src/lib/core/doc-name';
import type { UpdateLog } from './update-log';
import { encodeAwarenessMessage, encodeUpdateMessage } from './protocol';

/** Something attached to a document that receives its broadcasts (a socket, in practice). */
export interface Peer {
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
	/** Awareness clientIDs this peer announced, removed when it goes. */
	awarenessIds: Set<number>;
	mode: 'read' | 'write';
	actor: string;
}

/** Origin of a transaction the server makes: its actor is logged as the author. */
export class ServerWrite {
	constructor(readonly actor: string) {}
}
/** Origin of a client update that was already appended to the log before being applied. */
export class LoggedClientWrite {
	constructor(readonly peer: Peer) {}
}

// Root types of each document kind. Created before any client update is applied, so an
// update can never create them as the wrong type (SYNC-NOTES).
export function createRoots(doc: Y.Doc, ref: DocRef) {
	switch (ref.kind) {
		case 'chat':
			doc.getArray('messages');
			doc.getMap('participants');
			doc.getMap('meta');
			return;
		case 'chatAgents':
			doc.getArray('whispers');
			return;
		case 'agent':
			doc.getMap('offers');
			doc.getMap('chats');
			doc.getMap('banners');
			doc.getMap('requests');
			return;
		default: {
			const never: never = ref;
			throw new Error(`unknown doc ${JSON.stringify(never)}`);
		}
	}
}

const CHECKPOINT_EVERY = 500;

/** One loaded document: its Y.Doc, awareness, peers, log position and clientID bindings. */
export class LiveDoc {
	readonly doc = new Y.Doc({ gc: true });
	readonly awareness: Awareness;
	readonly peers = new Set<Peer>();
	readonly clientOwners: Map<number, string>;
	seq: number;
	private sinceCheckpoint: number;
	unloadTimer: NodeJS.Timeout | null = null;

	constructor(
		readonly name: string,
		readonly ref: DocRef,
		private readonly log: UpdateLog,
		private readonly now: () => number
	) {
		createRoots(this.doc, ref);
		const loaded = log.load(name);
		if (loaded.checkpoint) Y.applyUpdate(this.doc, loaded.checkpoint.state);
		for (const u of loaded.updates) Y.applyUpdate(this.doc, u.update);
		this.seq = loaded.lastSeq;
		this.sinceCheckpoint = loaded.updates.length;
		this.clientOwners = loaded.clients;
		this.awareness = new Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.awareness.on('update', this.onAwareness);
		this.doc.on('update', this.onUpdate);
	}

	private readonly onUpdate = (update: Uint8Array, origin: unknown) => {
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
		const message = encodeUpdateMessage(update);
		for (const p of this.peers) p.send(message);
		if (this.sinceCheckpoint >= CHECKPOINT_EVERY) this.checkpoint();
	};

	// Every awareness change (renewals too: they keep idle clients' sockets alive) goes to all.
	private readonly onAwareness = (c: { added: number[]; updated: number[]; removed: number[] }) => {
		const changed = c.added.concat(c.updated, c.removed);
		const message = encodeAwarenessMessage(encodeAwarenessUpdate(this.awareness, changed));
		for (const p of this.peers) p.send(message);
	};

	/** Appends a checked client update to the log, then applies and broadcasts it. */
	applyClientUpdate(peer: Peer, update: Uint8Array, newClientIds: readonly number[]) {
		this.log.appendWithClients(this.name, this.seq + 1, update, peer.actor, this.now(), newClientIds);
		this.seq++;
		for (const id of newClientIds) this.clientOwners.set(id, peer.actor);
		Y.applyUpdate(this.doc, update, new LoggedClientWrite(peer));
	}

	/** The server changes the document as `actor` (logged, then broadcast). */
	change(actor: string, fn: (doc: Y.Doc) => void) {
		this.doc.transact(() => fn(this.doc), new ServerWrite(actor));
	}

	checkpoint() {
		if (this.sinceCheckpoint === 0) return;
		this.log.saveCheckpoint(this.name, this.seq, Y.encodeStateAsUpdate(this.doc), this.now());
		this.sinceCheckpoint = 0;
	}

	removePeer(peer: Peer) {
		this.peers.delete(peer);
		if (peer.awarenessIds.size > 0)
			removeAwarenessStates(this.awareness, [...peer.awarenessIds], null);
	}

	destroy() {
		if (this.unloadTimer) clearTimeout(this.unloadTimer);
		this.checkpoint();
		this.doc.off('update', this.onUpdate);
		this.awareness.destroy();
		this.doc.destroy();
	}
}
