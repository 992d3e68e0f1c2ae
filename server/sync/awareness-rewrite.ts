import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * B1 without impersonation: rewrites an awareness update so each state's `user` is the
 * server's idea of the connection's user, and drops entries for clientIDs held by others.
 * Returns null for a malformed update.
 */
export function rewriteAwareness(
	update: Uint8Array,
	user: { id: string; name: string; role: string },
	mayControl: (clientId: number) => boolean
): { update: Uint8Array; clientIds: number[] } | null {
	try {
		const d = decoding.createDecoder(update);
		const e = encoding.createEncoder();
		const n = decoding.readVarUint(d);
		if (n > 64) return null;
		const entries: [number, number, string][] = [];
		for (let i = 0; i < n; i++) {
			const clientId = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			const json = decoding.readVarString(d);
			if (json.length > 4096) return null;
			if (!mayControl(clientId)) continue;
			const state: unknown = JSON.parse(json);
			let out = 'null';
			if (state !== null) {
				if (typeof state !== 'object' || Array.isArray(state)) return null;
				out = JSON.stringify({ ...state, user: { id: user.id, name: user.name, role: user.role } });
			}
			entries.push([clientId, clock, out]);
		}
		encoding.writeVarUint(e, entries.length);
		for (const [clientId, clock, json] of entries) {
			encoding.writeVarUint(e, clientId);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, json);
		}
		return { update: encoding.toUint8Array(e), clientIds: entries.map((x) => x[0]) };
	} catch {
		return null;
	}
}
