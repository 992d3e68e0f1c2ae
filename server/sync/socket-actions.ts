// B5 (issue 13), step 4: what a decision does to sockets must happen on every instance, since
// the sockets of one person may be on any of them. So these actions are data (not closures):
// done here after the commit, and published on the bus for the others to do to theirs.

export type SocketAction =
	/** Close `actor`'s sockets on `doc` (leaving, a transfer handed over). */
	| { kind: 'close-actor'; doc: string; actor: string; code: number; reason: string }
	/** Every socket on `doc` becomes read-only (the chat ended). */
	| { kind: 'read-only'; doc: string }
	/** Close every socket of a staff session (signed out). */
	| { kind: 'close-session'; session: string; code: number; reason: string };

export function encodeAction(instance: string, action: SocketAction): Uint8Array {
	return new TextEncoder().encode(JSON.stringify({ instance, action }));
}

/** The action, or null for a message that is not one (a bus shared with something else, a newer version). */
export function decodeAction(bytes: Uint8Array): { instance: string; action: SocketAction } | null {
	try {
		const m = JSON.parse(new TextDecoder().decode(bytes)) as { instance?: unknown; action?: Partial<SocketAction> & Record<string, unknown> };
		const a = m.action;
		if (typeof m.instance !== 'string' || !a) return null;
		const text = (v: unknown) => typeof v === 'string';
		if (a.kind === 'close-actor' && text(a.doc) && text(a.actor) && typeof a.code === 'number' && text(a.reason))
			return { instance: m.instance, action: a as SocketAction };
		if (a.kind === 'read-only' && text(a.doc)) return { instance: m.instance, action: a as SocketAction };
		if (a.kind === 'close-session' && text(a.session) && typeof a.code === 'number' && text(a.reason))
			return { instance: m.instance, action: a as SocketAction };
		return null;
	} catch {
		return null;
	}
}
