import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import * as ROOT from '../../src/lib/core/doc-roots';
import type { LiveDoc } from './live-doc';
import { monotonicMs, type SocketPeer } from './peer';
import * as P from './protocol';
import { rewriteAwareness } from './awareness-rewrite';
import type { SharedBuckets, SyncLimits } from './limits';
import { checkClientUpdate, isEmptyUpdate, type DecodedUpdate } from './write-policy';
import type { KnownUploads } from './known-uploads';
import { huddleRules } from './huddle-policy';

/** What a connection needs from the gateway around it. */
export interface ConnectionDeps {
	limits: SyncLimits;
	/** The server's clock (ms since epoch): message times and the append window. */
	now: () => number;
	/** Message budgets shared by every socket of one holder on one document. */
	holderMessages: SharedBuckets;
	/** A failure on our side (never the client's). */
	onError(what: string, err: unknown): void;
	/** B9: the uploads messages may refer to (absent: no message may carry attachments). */
	uploads?: KnownUploads;
}

const NO_IDS = { has: () => false };

/**
 * One socket speaking y-protocols on one document: frame limits, dispatch, the write policy and
 * the message budgets (README "Limits"). Nothing a client sends can throw out of here.
 */
export function attachConnection(
	ws: WebSocket,
	live: LiveDoc,
	peer: SocketPeer,
	deps: ConnectionDeps,
	earlyFrames: readonly [Buffer, boolean][] = []
) {
	const { limits } = deps;
	const onMessage = (data: Buffer, isBinary: boolean) => {
		if (peer.closing) return;
		peer.alive = true;
		if (!isBinary) return peer.close(P.CLOSE.BAD_FRAME, 'binary frames only');
		if (data.byteLength > limits.maxFrameBytes)
			return peer.close(P.CLOSE.TOO_LARGE, `frame larger than ${limits.maxFrameBytes} bytes`);
		const now = monotonicMs();
		if (!peer.frames.take(1, now) || !peer.bytes.take(data.byteLength, now))
			return peer.close(P.CLOSE.TOO_MANY, 'too many messages; slow down');
		const message = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
		// A connection's frames are handled in the order it sent them, after the writes in front of
		// them: a state request sent after an update is answered once that update is applied.
		if (live.busy)
			return live.afterWrites(() => {
				if (!peer.closing && live.peers.has(peer)) onFrame(message, true);
			});
		onFrame(message);
	};
	ws.on('message', onMessage);
	// Start the sync: our state vector (the client answers with what we miss) and awareness.
	peer.send(P.encodeSyncMessage(P.SYNC_STEP1, live.stateVector()));
	const states = [...live.awareness.getStates().keys()];
	if (states.length > 0) peer.send(P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, states)));
	// What it sent while it was admitted and its document loaded, first and in order.
	for (const [data, isBinary] of earlyFrames) onMessage(data, isBinary);

	/**
	 * Reads one frame. Malformed input closes 4402; a failure on our side closes 1011 (retry).
	 * `itsTurn`: the writes in front of it are done (it waited for them).
	 */
	function onFrame(message: Uint8Array, itsTurn = false) {
		let type: number;
		let sub = -1;
		let payload: Uint8Array | null = null;
		try {
			const d = decoding.createDecoder(message);
			type = decoding.readVarUint(d);
			if (type === P.MSG_SYNC) {
				sub = decoding.readVarUint(d);
				payload = decoding.readVarUint8Array(d);
			} else if (type === P.MSG_AWARENESS) payload = decoding.readVarUint8Array(d);
		} catch {
			return peer.close(P.CLOSE.BAD_FRAME, 'malformed message');
		}
		switch (type) {
			case P.MSG_SYNC:
				if (sub === P.SYNC_STEP1) return onStateRequest(payload!);
				if (sub === P.SYNC_STEP2 || sub === P.SYNC_UPDATE) return onWrite(sub, payload!, itsTurn);
				return peer.close(P.CLOSE.BAD_FRAME, 'unknown sync message');
			case P.MSG_AWARENESS:
				return onAwareness(payload!);
			case P.MSG_QUERY_AWARENESS:
				peer.send(P.encodeAwarenessMessage(encodeAwarenessUpdate(live.awareness, [...live.awareness.getStates().keys()])));
				return;
			default:
				peer.close(P.CLOSE.BAD_FRAME, 'unknown message type');
		}
	}

	function onStateRequest(stateVector: Uint8Array) {
		if (!peer.stateRequests.take(1, monotonicMs())) return peer.close(P.CLOSE.TOO_MANY, 'too many sync requests; slow down');
		let answer: Uint8Array;
		try {
			answer = live.stateAsUpdate(stateVector);
		} catch {
			return peer.close(P.CLOSE.BAD_FRAME, 'malformed state vector');
		}
		peer.answeredAt ??= deps.now();
		peer.send(P.encodeSyncMessage(P.SYNC_STEP2, answer));
	}

	/**
	 * A client writes through both SyncStep2 and Update; a read-only peer's writes are dropped.
	 * `itsTurn`: called by the document once the writes in front of it are done.
	 */
	function onWrite(sub: number, update: Uint8Array, itsTurn = false) {
		// Checked against the state it will be applied to: after the update waiting for its append
		// (and after a decision that holds the document), in arrival order.
		if (!itsTurn && live.busy)
			return live.afterWrites(() => {
				if (!peer.closing && live.peers.has(peer)) onWrite(sub, update, true);
			});
		// Nothing to check or store, and a sleeping document stays asleep (every client sends one on connect).
		const empty = isEmptyUpdate(update);
		const decoded = empty ? null : tryDecode(update); // decoded once, for the gap check and the policy
		if (sub === P.SYNC_UPDATE && !peer.clientSynced && decoded && startsAfterOurState(live.doc, decoded)) {
			// Typed after reconnecting but before the client answered our SyncStep1: it depends on
			// the offline backlog that answer carries, and the answer (computed later) carries this
			// update too. Refusing it would block an honest client.
			return;
		}
		if (sub === P.SYNC_STEP2) peer.clientSynced = true;
		if (peer.mode === 'write' && !empty) onClientUpdate(update, decoded);
	}

	/**
	 * `looked`: the chat's uploads were read from the table for this update already; `caughtUp`:
	 * the document read what other instances appended for it already.
	 */
	function onClientUpdate(update: Uint8Array, decoded: DecodedUpdate | null, looked = false, caughtUp = false) {
		const now = deps.now();
		const ref = live.ref;
		const isChat = ref.kind === 'chat';
		const known = deps.uploads;
		const uploads =
			ref.kind !== 'agent' && known
				? { chatId: ref.chatId, agentsOnly: ref.kind === 'chatAgents', lookup: (id: string) => known.lookup(ref.chatId, id) }
				: undefined;
		const huddle = ref.kind === 'chatAgents' ? huddleRules(peer.principal) : null;
		const result = checkClientUpdate({
			doc: live.doc,
			update,
			decoded: decoded ?? undefined,
			writer: peer.principal.author,
			appendOnlyArrays: isChat ? [ROOT.MESSAGES] : huddle ? [ROOT.WHISPERS] : [],
			...huddle,
			clientOwners: live.clientOwners,
			now,
			messageIds: isChat || huddle ? live.messageIds() : NO_IDS,
			concurrent: (client, from, to) => unseenBy(live.recent.receivedAt(client, from, to, now), now),
			maxMessages: limits.maxMessagesPerUpdate,
			uploads
		});
		if (!result.ok && result.unknownUpload && uploads && !looked)
			// Uploaded through another instance, before a restart, or forgotten: read the table, then check again.
			return live.waitFor(known!.refresh(uploads.chatId), (failed) => {
				if (peer.closing || !live.peers.has(peer) || peer.mode !== 'write') return;
				if (failed) return peer.close(P.CLOSE.INTERNAL_ERROR, 'could not check the attachments; reconnecting');
				onClientUpdate(update, decoded, true, caughtUp);
			});
		if (!result.ok && !caughtUp && live.publish)
			// B5: it may build on rows another instance committed that have not reached us yet (a
			// client that moved here from there): held until they are read from the log, then
			// checked once more. A hostile update costs one read before it is refused.
			return live.waitFor(live.catchUp.fromLog(), (failed) => {
				if (peer.closing || !live.peers.has(peer) || peer.mode !== 'write') return;
				if (failed) return peer.close(P.CLOSE.INTERNAL_ERROR, 'could not read the document; reconnecting');
				onClientUpdate(update, decoded, looked, true);
			});
		if (!result.ok) return peer.close(P.CLOSE.UPDATE_REFUSED, `update refused: ${result.reason}`);
		if (!result.changes) return;
		const count = result.messageIds.length;
		const clock = monotonicMs();
		if (count > 0 && !(peer.messages.spend(count, clock) && deps.holderMessages.get(`${peer.holder} ${live.name}`, clock).spend(count, clock)))
			return peer.close(P.CLOSE.TOO_MANY, 'too many messages; slow down');
		try {
			// Appended with this turn's other writes in one transaction, then applied and broadcast.
			live.submitClientUpdate(peer, update, result.newClientIds);
		} catch (err) {
			// Not the client's fault (e.g. the disk): it keeps the update and re-sends it on reconnect.
			deps.onError(`storing an update of ${live.name} failed`, err);
			peer.close(P.CLOSE.INTERNAL_ERROR, 'could not store the update; reconnecting');
		}
	}

	/**
	 * T1: whether elements received at `receivedAt` (null: before the append window) may have been
	 * unknown to this peer when it wrote: not yet sent to it, or sent so recently that they may
	 * still have been on the wire.
	 */
	function unseenBy(receivedAt: number | null, now: number): boolean {
		if (receivedAt === null) return false;
		if (peer.answeredAt === null) return true;
		return now - Math.max(receivedAt, peer.answeredAt) < limits.sentGraceMs;
	}

	function onAwareness(update: Uint8Array) {
		const claimed = new Set(peer.awarenessIds);
		const rewritten = rewriteAwareness(update, peer.principal.author, (id) => {
			// Never the server's own state, never another connection's, and only a few per socket.
			if (id === live.awareness.clientID || live.presence.remoteIds.has(id)) return false;
			for (const other of live.peers) if (other !== peer && other.awarenessIds.has(id)) return false;
			if (claimed.has(id)) return true;
			if (claimed.size >= limits.awarenessIdsPerConnection) return false;
			claimed.add(id);
			return true;
		});
		if (!rewritten) return peer.close(P.CLOSE.BAD_FRAME, 'malformed awareness');
		// B6: a read-only peer (a supervisor watching, a reader of an ended chat) is checked but not
		// announced: nobody, the customer least, is shown who silently reads along.
		if (peer.mode === 'read') return;
		for (const id of rewritten.clientIds) peer.awarenessIds.add(id);
		try {
			applyAwarenessUpdate(live.awareness, rewritten.update, peer);
		} catch {
			peer.close(P.CLOSE.BAD_FRAME, 'malformed awareness');
		}
	}
}

/** Undecodable bytes are left to the write policy, which refuses them. */
function tryDecode(update: Uint8Array): DecodedUpdate | null {
	try {
		return Y.decodeUpdate(update);
	} catch {
		return null;
	}
}

/** Whether some client's structs begin beyond what `doc` has of that client (a clock gap). */
function startsAfterOurState(doc: Y.Doc, decoded: DecodedUpdate): boolean {
	const first = new Map<number, number>();
	for (const s of decoded.structs) if (!first.has(s.id.client)) first.set(s.id.client, s.id.clock);
	for (const [client, clock] of first) if (clock > Y.getState(doc.store, client)) return true;
	return false;
}
