import * as Y from 'yjs';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { newWhisper } from '../../src/lib/core/whisper-policy';
import type { Author } from '../../src/lib/core/types';

/**
 * Runs `change` on a copy of `state` (a document's full state) and returns the update it makes,
 * or null when it made none. `clientID` picks the writer's clientID (e.g. one bound to someone else).
 */
export function forgeUpdate(state: Uint8Array, change: (doc: Y.Doc) => void, clientID?: number): Uint8Array | null {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, state);
	// After loading: Yjs gives a doc a new clientID when a remote update uses its own.
	if (clientID !== undefined) doc.clientID = clientID;
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	change(doc);
	doc.destroy();
	return updates.length === 0 ? null : updates.length === 1 ? updates[0] : Y.mergeUpdates(updates);
}

/** A valid append of one text message by `author` to `messages` (or of one whisper to `whispers`). */
export function appendUpdate(state: Uint8Array, author: Author, text: string, id: string, clientID?: number, root: 'messages' | 'whispers' = 'messages'): Uint8Array {
	const value = root === 'messages' ? newTextMessage(author, text, Date.now(), id) : newWhisper(author, text, Date.now(), id);
	const u = forgeUpdate(state, (d) => d.getArray(root).push([value]), clientID);
	if (!u) throw new Error('append made no update');
	return u;
}

/** The server document's messages' (or whispers') ids, in order. */
export const messageIds = (doc: Y.Doc, root = 'messages') => doc.getArray<{ id: string }>(root).toArray().map((m) => m.id);
