import { describe, expect, it } from 'vitest';
import { applyDocChanges, cloneDocState } from './apply-changes';

describe('a document state after recorded changes (A2)', () => {
	it('[A2] inserts, removals, map sets and unsets, and text deltas apply in order', () => {
		const base = { messages: ['a', 'b'], participants: { p: 1 }, draft: 'hello world' };
		const s = cloneDocState(base);
		applyDocChanges(s, [
			{ root: 'messages', op: 'insert', index: 2, values: ['c'] },
			{ root: 'messages', op: 'insert', index: 0, values: ['z', 'y'] },
			{ root: 'messages', op: 'remove', index: 1, count: 2, values: ['y', 'a'] },
			{ root: 'participants', op: 'set', key: 'q', value: 2, existed: false },
			{ root: 'participants', op: 'unset', key: 'p', old: 1 },
			{ root: 'draft', op: 'text', delta: [{ retain: 6 }, { delete: 5 }, { insert: 'there' }] }
		]);
		expect(s).toEqual({ messages: ['z', 'b', 'c'], participants: { q: 2 }, draft: 'hello there' });
		// The base is untouched: every moment is an independent copy.
		expect(base).toEqual({ messages: ['a', 'b'], participants: { p: 1 }, draft: 'hello world' });
	});

	it('[A2] a key named __proto__ stays a plain key', () => {
		const s = cloneDocState({ participants: {} });
		applyDocChanges(s, [{ root: 'participants', op: 'set', key: '__proto__', value: { polluted: true }, existed: false }]);
		const p = s.participants as Record<string, unknown>;
		expect(Object.keys(p)).toEqual(['__proto__']);
		expect(Object.getPrototypeOf(p)).toBe(Object.prototype);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
