import * as Y from 'yjs';

// T2: message ids are unique in a document. The write policy asks for every new message, so the
// ids are kept in a set, filled once from the array and then from each transaction's new items
// (LiveDoc hands them over)
// (client and server writes alike). Not through the array's observer: its event walks the whole
// array to compute its changes, on every message.
export class MessageIds {
	private readonly ids = new Set<string>();

	constructor(private readonly messages: Y.Array<unknown>) {
		for (const m of messages) this.add(m);
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	/** Adds the ids of the messages among the elements [before, after) of `client` (a transaction's new ones). */
	noteRange(store: Y.Doc['store'], client: number, before: number, after: number) {
		const structs = store.clients.get(client);
		if (!structs) return;
		// Merged items may start before `before`: their older ids are in the set already.
		for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
			const s = structs[i];
			if (s instanceof Y.Item && s.parent === this.messages && s.content instanceof Y.ContentAny)
				for (const value of s.content.arr) this.add(value);
		}
	}

	private add(value: unknown) {
		const id = (value as { id?: unknown } | null)?.id;
		if (typeof id === 'string') this.ids.add(id);
	}
}
