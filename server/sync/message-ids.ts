import type * as Y from 'yjs';

// T2: message ids are unique in a document. The write policy asks for every new message, so the
// ids are kept in a set, filled once from the array and then from its own events (client and
// server writes alike).
export class MessageIds {
	private readonly ids = new Set<string>();

	constructor(private readonly messages: Y.Array<unknown>) {
		for (const m of messages) this.add(m);
		messages.observe(this.onChange);
	}

	has(id: string): boolean {
		return this.ids.has(id);
	}

	private add(value: unknown) {
		const id = (value as { id?: unknown } | null)?.id;
		if (typeof id === 'string') this.ids.add(id);
	}

	private readonly onChange = (event: Y.YArrayEvent<unknown>) => {
		for (const item of event.changes.added) for (const value of item.content.getContent()) this.add(value);
	};

	destroy() {
		this.messages.unobserve(this.onChange);
	}
}
