// Every code the sync server closes a WebSocket with (README "Live documents"), shared by the
// server (which sends them) and the browser (which acts on them and says what they mean). Import
// it as a namespace, `import * as CLOSE from '$lib/core/close-codes'`, and write
// `CLOSE.ACCESS_ENDED`: plain exported constants let the bundler put the bare number in the
// browser's code instead of shipping a lookup object.
//
// The stock y-websocket 3.1 client stops reconnecting on 4400–4499 (they mirror HTTP 4xx: the
// server decided, reconnecting cannot fix it) and reconnects on every other code. Parley's browser
// client goes one step further for some of the codes; each code says which group it is in:
//   fresh — the client's copy holds something the server refused: drop it and sync a fresh
//           document (only the refused part is lost)
//   later — nothing is wrong with the client's copy: reconnect with it after a pause
//   final — the connection is over for good (sign-in, access or document gone)

/** fresh: an update broke the write policy and was not applied; the reason says why. */
export const UPDATE_REFUSED = 4400;
/** final: no session or chat token, or the session expired or was deleted. */
export const NOT_SIGNED_IN = 4401;
/** fresh: a frame that does not decode (a text frame, an unknown message type, bad bytes). */
export const BAD_FRAME = 4402;
/** final: not allowed to open this document (also a foreign `Origin`). */
export const FORBIDDEN = 4403;
/** final: the document name is not a Parley document. */
export const NO_SUCH_DOC = 4404;
/** final: access ended (the agent left the chat, or the session signed out). */
export const ACCESS_ENDED = 4410;
/** fresh: a frame larger than the gateway reads (README "Limits"). */
export const TOO_LARGE = 4413;
/** later (Parley's client waits, then reconnects): over a rate or connection limit; the reason says which. */
export const TOO_MANY = 4429;
/** later (the stock client reconnects): the server is restarting. */
export const SHUTTING_DOWN = 4503;
/** later: a frame above the hard cap, closed by the WebSocket layer (not by Parley's code). */
export const MESSAGE_TOO_BIG = 1009;
/**
 * later: RFC 6455 "internal error", a failure on our side (e.g. the update could not be
 * stored); the stock client reconnects and re-sends what it has.
 */
export const INTERNAL_ERROR = 1011;

/** The "fresh" codes: the browser drops its copy and syncs a fresh document. */
export const FRESH_DOC: readonly number[] = [UPDATE_REFUSED, BAD_FRAME, TOO_LARGE];

/** Whether the stock client gives up on this code: 4400–4499, also codes this list lacks. */
export const isFinal = (code: number) => code >= 4400 && code < 4500;
