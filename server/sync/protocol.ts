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

// Close codes (y-websocket 3.1 stops reconnecting on 4400–4499; 45xx means try again later).
export const CLOSE = {
	UPDATE_REFUSED: 4400,
	NOT_SIGNED_IN: 4401,
	FORBIDDEN: 4403,
	NO_SUCH_DOC: 4404,
	ACCESS_ENDED: 4410,
	BAD_FRAME: 4402,
	TOO_LARGE: 4413,
	TOO_MANY: 4429,
	SHUTTING_DOWN: 4503
} as const;
