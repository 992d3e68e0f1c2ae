import type { DocChange } from './types';

// A2: a document's JSON after a run of changes. The replay index keeps the JSON of a document
// every few seqs and applies the recorded changes of the few updates after it, so scrubbing
// does not decode Yjs state at all. Exact because the changes are Yjs's own event deltas; the
// property test checks it against live clients for every seq.

/** Each root of a document as JSON: arrays, maps (plain objects) and texts (strings). */
export type DocState = Record<string, unknown>;

/** A copy that can take changes without touching the original (values are shared, never mutated). */
export function cloneDocState(state: DocState): DocState {
	const out: DocState = {};
	for (const [root, v] of Object.entries(state))
		out[root] = Array.isArray(v) ? v.slice() : typeof v === 'object' && v !== null ? { ...v } : v;
	return out;
}

// Own properties only: a key like "__proto__" must stay a key, not become a prototype.
const setKey = (obj: Record<string, unknown>, key: string, value: unknown) =>
	Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });

/** Applies one update's changes to a state (in place; pass a clone). */
export function applyDocChanges(state: DocState, changes: readonly DocChange[]): void {
	for (const c of changes) {
		switch (c.op) {
			case 'insert': {
				const arr = (state[c.root] ??= []) as unknown[];
				if (c.index === arr.length) for (const v of c.values) arr.push(v);
				else arr.splice(c.index, 0, ...c.values);
				break;
			}
			case 'remove':
				(state[c.root] as unknown[]).splice(c.index, c.count);
				break;
			case 'set':
				setKey((state[c.root] ??= {}) as Record<string, unknown>, c.key, c.value);
				break;
			case 'unset':
				delete (state[c.root] as Record<string, unknown>)[c.key];
				break;
			case 'text': {
				const old = typeof state[c.root] === 'string' ? (state[c.root] as string) : '';
				let at = 0;
				let out = '';
				for (const d of c.delta) {
					if ('retain' in d) {
						out += old.slice(at, at + d.retain);
						at += d.retain;
					} else if ('delete' in d) at += d.delete;
					else out += d.insert;
				}
				state[c.root] = out + old.slice(at);
				break;
			}
			default: {
				const never: never = c;
				throw new Error(`unknown change ${JSON.stringify(never)}`);
			}
		}
	}
}
