import * as encoding from 'lib0/encoding';

// y-protocols wire format (outer message types and sync sub-types), as the stock client speaks it.
export const MSG_SYNC = 0;
export const MSG_AWARENESS = 1;
export const MSG_AUTH = 2;
export const MSG_QUERY_AWARENESS = 3;
export const SYNC_STEP1 = 0;
export const SYNC_STEP2 = 1;
export const SYNC_UPDATE = 2;

/** One encoding of an update, sent as-is to every peer. */
export function encodeUpdateMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MSG_SYNC);
	encoding.writeVarUint(e, SYNC_UPDATE);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

export function encodeSyncMessage(subType: number, payload: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MSG_SYNC);
	encoding.writeVarUint(e, subType);
	encoding.writeVarUint8Array(e, payload);
	return encoding.toUint8Array(e);
}

export function encodeAwarenessMessage(update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, MSG_AWARENESS);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

// Close codes: one list for the server and the browser (src/lib/core/close-codes.ts).
export * as CLOSE from '../../src/lib/core/close-codes';

/**
 * One broadcast message, shared by every peer it goes to: encoded once, and framed once as a
 * whole server-to-client WebSocket frame (FIN, binary, unmasked — the same bytes for every socket).
 */
export class SharedMessage {
	private framed: Buffer | null = null;
	constructor(readonly data: Uint8Array) {}

	/** The complete WebSocket frame (RFC 6455 §5.2) carrying `data`. */
	frame(): Buffer {
		if (this.framed) return this.framed;
		const n = this.data.byteLength;
		const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
		const f = Buffer.allocUnsafe(head + n);
		f[0] = 0x82; // FIN + binary
		if (n < 126) f[1] = n;
		else if (n < 65536) {
			f[1] = 126;
			f.writeUInt16BE(n, 2);
		} else {
			f[1] = 127;
			f.writeUInt32BE(Math.floor(n / 2 ** 32), 2);
			f.writeUInt32BE(n >>> 0, 6);
		}
		f.set(this.data, head);
		return (this.framed = f);
	}
}
