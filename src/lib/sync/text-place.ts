import type * as Y from 'yjs';

// Places in a Y.Text that survive others' edits (carets, selections: B3), without Yjs's
// relative-position API: the customer page shares the Yjs chunk with the staff pages, and every
// export used anywhere costs it bytes. A place is the Yjs id of the character it stands before
// (null: the end of the text), as Yjs's own relative positions are.

/** The id of the character a caret stands before, or null at the end. */
export type TextPlace = { client: number; clock: number } | null;

/** The place of index `index` (UTF-16 units) in `text`. */
export function placeAt(text: Y.Text, index: number): TextPlace {
	let left = index;
	for (let n = text._start; n !== null; n = n.right) {
		if (n.deleted || !n.countable) continue;
		if (left < n.length) return { client: n.id.client, clock: n.id.clock + left };
		left -= n.length;
	}
	return null;
}

/** Where `place` is now, as an index; a deleted character's place is where it was. */
export function indexOf(text: Y.Text, place: TextPlace): number {
	if (place === null) return text.length;
	let index = 0;
	for (let n = text._start; n !== null; n = n.right) {
		if (n.id.client === place.client && n.id.clock <= place.clock && place.clock < n.id.clock + n.length)
			return n.deleted || !n.countable ? index : index + (place.clock - n.id.clock);
		if (!n.deleted && n.countable) index += n.length;
	}
	return text.length; // not (yet) in this copy of the text
}

/** A place as another client sent it (awareness: anything), or undefined when it is none. */
export function readPlace(value: unknown): TextPlace | undefined {
	if (value === null) return null;
	if (typeof value !== 'object' || Array.isArray(value)) return undefined;
	const { client, clock } = value as Record<string, unknown>;
	return Number.isSafeInteger(client) && Number.isSafeInteger(clock) ? { client: client as number, clock: clock as number } : undefined;
}
