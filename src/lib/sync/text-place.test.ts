import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { indexOf, placeAt, readPlace } from './text-place';

const sync = (a: Y.Doc, b: Y.Doc) => {
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
	Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('[#14 B3] carets that survive others\' edits', () => {
	it('[#14 B3] a place stays before its character while others type before and after it, and sits where deleted text was', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		a.getText('draft').insert(0, 'Hello world');
		sync(a, b);
		const caret = placeAt(b.getText('draft'), 6); // before "w"
		a.getText('draft').insert(0, '>> ');
		a.getText('draft').insert(a.getText('draft').length, '!');
		sync(a, b);
		expect(b.getText('draft').toString()).toBe('>> Hello world!');
		expect(indexOf(b.getText('draft'), caret)).toBe(9);
		a.getText('draft').delete(3, 7); // "Hello w": now ">> orld!"
		sync(a, b);
		expect(indexOf(b.getText('draft'), caret)).toBe(b.getText('draft').toString().indexOf('orld'));
		expect(indexOf(b.getText('draft'), placeAt(b.getText('draft'), b.getText('draft').length))).toBe(b.getText('draft').length);
	});
	it('[#14 B3] a place from another client is read defensively', () => {
		expect(readPlace(null)).toBeNull();
		expect(readPlace({ client: 1, clock: 2 })).toEqual({ client: 1, clock: 2 });
		for (const bad of [undefined, 'x', [], { client: 1 }, { client: 1.5, clock: 0 }, { client: '1', clock: 0 }]) expect(readPlace(bad)).toBeUndefined();
		expect(indexOf(new Y.Doc().getText('draft'), { client: 99, clock: 5 })).toBe(0);
	});
});
