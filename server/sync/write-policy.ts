import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { checkClientMessage } from '../../src/lib/core/message-policy';
import { draftInsertProblem } from '../../src/lib/core/whisper-policy';
import { checkAttachmentRefs, type UploadRef } from '../../src/lib/core/attachments';
import type { Author } from '../../src/lib/core/types';

// The gateway's check of a client update BEFORE Y.applyUpdate (ARCHITECTURE "Write policy",
// SYNC-NOTES "Checking an update before applying it"). applyUpdate is not atomic and parks
// unresolvable structs in pendingStructs, so anything that could make it throw, park or write
// outside the narrow append-only shape is refused here, and nothing is applied.
//
// Decisions beyond the notes:
// - Append means append (T1): a new message has no right neighbour (rightOrigin null, as every
//   push has), and it follows either the current last element of its array, or an element after
//   which there are only elements the writer could not have seen yet (`concurrent`: appended by
//   others at about the same time, or while it was offline). An insert before history is refused.
// - Message ids are unique in the document, also within one update (T2).
// - An entirely known struct changes nothing, whatever its kind or content (a SyncStep2 with the
//   client's whole state carries the server's items, tombstones and deleted content); only its
//   references must resolve, because Yjs still looks them up (getMissing) and would park it.
// - An unbound clientID that already has structs in this doc (another server instance, an
//   earlier server incarnation) is foreign: binding it would let the writer take its next clock.
// - Structs of several clients may depend on each other in any order (a shared offline store
//   with two clientIDs of one user); they are checked in dependency order, like Yjs integrates.

/** What the gateway knows when a client update arrives. */
export interface PolicyInput {
	doc: Y.Doc; // the live server document (roots already created via doc.getArray(name))
	update: Uint8Array; // a V1 update from a client (from SyncStep2 or Update)
	decoded?: DecodedUpdate; // the same, already decoded by the caller (decoded once per frame)
	writer: Author; // the connection's identity
	appendOnlyArrays: readonly string[]; // root Y.Array names the client may append to
	clientOwners: ReadonlyMap<number, string>; // clientID -> actor id already bound in this doc
	now: number; // the server's clock (ms since epoch): messages' `at` must be near it
	/** Ids of the messages already in the document. */
	messageIds: { has(id: string): boolean };
	/**
	 * Whether the elements [from, to) of `client`, already in the document, may have been unknown
	 * to the writer when it wrote (so a new message may land before them).
	 */
	concurrent: (client: number, from: number, to: number) => boolean;
	/** Most messages one update may add. */
	maxMessages: number;
	/** B2: how an element of the arrays is checked (default: a chat message). */
	checkElement?: (value: unknown, writer: Author, now: number) => { ok: true; value: { id: string; attachments?: string[] } } | { ok: false; message: string };
	/**
	 * B3: a root Y.Text the client may edit with plain-text inserts and deletes anywhere in it
	 * (no formatting, no embeds), holding at most `maxLength` UTF-16 units afterwards.
	 */
	plainText?: { root: string; maxLength: number };
	/**
	 * B9: the uploads the messages may refer to (absent: none may carry attachments): this chat's,
	 * as the server knows them, and whether this document takes the agents-only ones.
	 */
	uploads?: { chatId: string; agentsOnly: boolean; lookup(id: string): UploadRef | undefined };
}

/**
 * Accepted (whether it adds anything, which clientIDs to bind, the ids of the messages it adds)
 * or refused with a reason.
 */
export type PolicyResult =
	| { ok: true; changes: boolean; newClientIds: number[]; messageIds: string[] }
	| { ok: false; reason: string; unknownUpload?: boolean };

type Struct = Y.Item | Y.GC | Y.Skip;
/** What Y.decodeUpdate gives: the structs and the delete set of an update. */
export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>;
type Parent = object | null; // a root type, compared by identity only
const WAIT = Symbol('wait'); // depends on a struct of another client later in this update
type Step = string | typeof WAIT | undefined; // a reason, wait, or fine

/** No structs and no deletes: what a client that has nothing we miss answers to our SyncStep1. */
export const isEmptyUpdate = (update: Uint8Array) => update.length === 2 && update[0] === 0 && update[1] === 0;

/** Decides whether `update` only appends messages by `writer` to the allowed arrays. */
export function checkClientUpdate(input: PolicyInput): PolicyResult {
	const { doc, update, writer, clientOwners, now } = input;
	const store = doc.store;
	const arrays = new Map<string, Y.Array<unknown>>(input.appendOnlyArrays.map((n) => [n, doc.getArray(n)]));
	const allowed = new Set<Parent>(arrays.values());
	const checkElement = input.checkElement ?? checkClientMessage;
	const text = input.plainText ? doc.getText(input.plainText.root) : null;
	if (text) allowed.add(text);
	let textAdded = 0; // live UTF-16 units this update adds to `text` (before its own deletes)
	let unknownUpload = false; // the refusal names an upload the server may not have heard of yet
	const refuse = (reason: string): PolicyResult => ({ ok: false, reason, ...(unknownUpload ? { unknownUpload } : {}) });

	let decoded: DecodedUpdate;
	let blocks: number;
	try {
		decoded = input.decoded ?? Y.decodeUpdate(update);
		blocks = decoding.readVarUint(decoding.createDecoder(update));
	} catch {
		return refuse('undecodable update');
	}
	// One block per client: Yjs keeps only the last block of a repeated client.
	const queues = new Map<number, { list: Struct[]; i: number }>();
	for (const s of decoded.structs) {
		const q = queues.get(s.id.client) ?? { list: [], i: 0 };
		q.list.push(s);
		queues.set(s.id.client, q);
	}
	if (queues.size !== blocks) return refuse('malformed update (repeated or empty client block)');
	const updateEnd = new Map<number, number>();
	for (const [c, q] of queues) {
		const last = q.list[q.list.length - 1];
		updateEnd.set(c, last.id.clock + last.length);
	}

	const newIds: string[] = [];
	const seenIds = new Set<string>();
	const next = new Map<number, number>(); // client -> state after the structs checked so far
	const added = new Map<number, { clock: number; end: number; parent: Parent; deleted?: boolean }[]>();
	const addedParent = (id: Y.ID): Parent | undefined => {
		const list = added.get(id.client) ?? [];
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			if (id.clock < list[mid].clock) hi = mid - 1;
			else if (id.clock >= list[mid].end) lo = mid + 1;
			else return list[mid].parent;
		}
		return undefined;
	};
	// The parent Yjs would give an item placed next to `id`; null when unknown (missing dependency).
	const find = (id: Y.ID, self: number): { parent: Parent; sub: string | null } | null | typeof WAIT => {
		if (Y.getState(store, id.client) > id.clock) {
			const s = Y.getItem(store, id) as Y.Item | Y.GC; // getItem returns GC too
			if (!(s instanceof Y.Item)) return { parent: null, sub: null };
			return { parent: s.parent as Parent, sub: s.parentSub };
		}
		const parent = addedParent(id);
		if (parent !== undefined) return { parent, sub: null };
		if (id.client !== self && id.clock < (updateEnd.get(id.client) ?? 0)) return WAIT;
		return null;
	};

	const step = (s: Struct): Step => {
		const c = s.id.client;
		const state = next.get(c) ?? Y.getState(store, c);
		if (s.id.clock > state) return 'missing dependency (clock gap)';
		const end = s.id.clock + s.length;
		const rawParent: unknown = s instanceof Y.Item ? s.parent : null; // string | ID | null after decode
		if (end <= state) {
			if (!(s instanceof Y.Item)) return undefined;
			if (typeof rawParent === 'string' && !doc.share.has(rawParent)) return 'unknown root type';
			for (const ref of [s.origin, s.rightOrigin, rawParent instanceof Y.ID ? rawParent : null]) {
				const f = ref === null ? undefined : find(ref, c);
				if (f === WAIT) return WAIT;
				if (f === null) return 'missing dependency';
			}
			return undefined;
		}
		if (!(s instanceof Y.Item)) return 'GC or Skip struct';
		if (c === doc.clientID) return "the server's clientID";
		const owner = clientOwners.get(c);
		if (owner === undefined ? Y.getState(store, c) > 0 : owner !== writer.id) return 'foreign clientID';

		const offset = state - s.id.clock;
		let parent: Parent | undefined;
		if (s.origin === null && s.rightOrigin === null) {
			if (typeof rawParent !== 'string') return 'nested type (parent is an item)';
			parent = arrays.get(rawParent) ?? (text !== null && rawParent === input.plainText!.root ? text : null);
			if (parent === null || s.parentSub !== null) return `writes outside the allowed arrays (${rawParent})`;
		}
		// With offset > 0 Yjs puts the new tail right after the known item (c, state - 1).
		const left = offset > 0 ? Y.createID(c, state - 1) : null;
		for (const ref of [s.origin, s.rightOrigin, left]) {
			if (ref === null) continue;
			const f = find(ref, c);
			if (f === WAIT) return WAIT;
			if (f === null) return 'missing dependency (unknown origin)';
			if (!allowed.has(f.parent) || f.sub !== null) return 'writes outside the allowed arrays';
			if (parent !== undefined && f.parent !== parent) return 'origins in different arrays';
			parent = f.parent;
		}
		if (parent === undefined) return 'item without parent or origin';
		if (parent === text) {
			// B3: typed anywhere in the draft, plain text only (a ContentDeleted is text typed and
			// deleted while offline: its deletion must come with it, checked with the delete set).
			const content = s.content;
			if (content instanceof Y.ContentString) {
				const problem = draftInsertProblem(content.str.slice(offset));
				if (problem) return problem;
				textAdded += end - state;
			} else if (!(content instanceof Y.ContentDeleted)) return `draft takes plain text only (${content.constructor.name})`;
			const list = added.get(c) ?? [];
			list.push({ clock: state, end, parent, deleted: content instanceof Y.ContentDeleted });
			added.set(c, list);
			next.set(c, end);
			return undefined;
		}
		if (s.rightOrigin !== null) return 'not an append: inserted before an existing message';
		const follows = left ?? s.origin;
		if ((follows === null || addedParent(follows) === undefined) && !onlyConcurrentAfter(parent as Y.Array<unknown>, follows))
			return 'not an append: placed before messages the writer has seen';

		const content = s.content;
		if (!(content instanceof Y.ContentAny)) return `content ${content.constructor.name} not allowed`;
		for (const value of content.arr.slice(offset)) {
			const r = checkElement(value, writer, now);
			if (!r.ok) return `bad message: ${r.message}`;
			const id = r.value.id;
			const files = r.value.attachments;
			if (files) {
				const uploads = input.uploads;
				if (!uploads) return 'bad message: attachments are not allowed here';
				const refs = checkAttachmentRefs(files, { chatId: uploads.chatId, writerId: writer.id, agentsOnly: uploads.agentsOnly }, uploads.lookup);
				if (!refs.ok) {
					unknownUpload = refs.unknown;
					return `bad message: ${refs.message}`;
				}
			}
			if (input.messageIds.has(id) || seenIds.has(id)) return `bad message: id ${JSON.stringify(id)} is taken`;
			if (seenIds.size >= input.maxMessages) return `more than ${input.maxMessages} messages in one update`;
			seenIds.add(id);
			newIds.push(id);
		}
		const list = added.get(c) ?? [];
		list.push({ clock: state, end, parent });
		added.set(c, list);
		next.set(c, end);
		return undefined;
	};

	// Whether everything after `after` (an element of the live document; null: the array's start)
	// is concurrent to the writer. Stops at the first element that is not: an honest append
	// walks nothing or a few elements.
	const onlyConcurrentAfter = (array: Y.Array<unknown>, after: Y.ID | null): boolean => {
		let n: Y.Item | null = array._start;
		if (after !== null) {
			const item = Y.getItem(store, after) as Y.Item;
			const end = item.id.clock + item.length;
			if (after.clock + 1 < end && !input.concurrent(after.client, after.clock + 1, end)) return false;
			n = item.right;
		}
		for (; n !== null; n = n.right) if (!input.concurrent(n.id.client, n.id.clock, n.id.clock + n.length)) return false;
		return true;
	};

	// Check in dependency order: a client's queue waits while it refers to another's unchecked struct.
	for (let progress = true; progress; ) {
		progress = false;
		for (const q of queues.values()) {
			for (; q.i < q.list.length; q.i++) {
				const r = step(q.list[q.i]);
				if (r === WAIT) break;
				if (r !== undefined) return refuse(r);
				progress = true;
			}
		}
	}
	if ([...queues.values()].some((q) => q.i < q.list.length)) return refuse('missing dependency');

	// Delete set: tolerate only ranges the server has already deleted (SyncStep2 carries them all),
	// and B3 deletes of draft text (known, or typed in this very update).
	let textDeleted = 0;
	for (const [client, ranges] of decoded.ds.clients) {
		const structs = store.clients.get(client) ?? [];
		const state = Y.getState(store, client);
		for (const { clock, len } of ranges) {
			if (len === 0) continue;
			const knownEnd = Math.min(clock + len, state);
			for (let i = clock < knownEnd ? Y.findIndexSS(structs, clock) : structs.length; i < structs.length && structs[i].id.clock < knownEnd; i++) {
				const s = structs[i];
				if (s.deleted) continue;
				if (text === null || !(s instanceof Y.Item) || s.parent !== text || !(s.content instanceof Y.ContentString)) return refuse('deletes live content');
				textDeleted += Math.min(knownEnd, s.id.clock + s.length) - Math.max(clock, s.id.clock);
			}
			if (clock + len > state) {
				const gone = deletesOwnText(client, Math.max(clock, state), clock + len);
				if (gone === null) return refuse('deletes unknown content');
				textDeleted += gone;
			}
		}
	}
	if (text !== null) {
		// Every ContentDeleted typed into the draft must be deleted by this update.
		for (const [client, list] of added)
			for (const a of list) if (a.deleted && !covers(decoded.ds.clients.get(client) ?? [], a.clock, a.end)) return refuse('deleted draft text without its deletion');
		if (text.length + textAdded - textDeleted > input.plainText!.maxLength)
			return refuse(`draft longer than ${input.plainText!.maxLength} characters`);
	}
	const newClientIds = [...next.keys()].filter((c) => !clientOwners.has(c));
	return { ok: true, changes: next.size > 0 || textDeleted > 0, newClientIds, messageIds: newIds };

	/** Live draft units in [from, to) of `client`, all typed into the draft by this update; null if not. */
	function deletesOwnText(client: number, from: number, to: number): number | null {
		let live = 0;
		for (let at = from; at < to; ) {
			const a = (added.get(client) ?? []).find((x) => x.clock <= at && at < x.end);
			if (!a || a.parent !== text) return null;
			const upTo = Math.min(to, a.end);
			if (!a.deleted) live += upTo - at;
			at = upTo;
		}
		return live;
	}
}

/** Whether the delete ranges cover every clock of [from, to). */
function covers(ranges: readonly { clock: number; len: number }[], from: number, to: number): boolean {
	const sorted = ranges.filter((r) => r.clock + r.len > from && r.clock < to).sort((a, b) => a.clock - b.clock);
	let at = from;
	for (const r of sorted) {
		if (r.clock > at) return false;
		at = Math.max(at, r.clock + r.len);
		if (at >= to) return true;
	}
	return at >= to;
}
