import { hasVisibleCharacter } from '../text';

// A request's optional note and a decline's optional reason (issue 16): one short line a
// colleague reads on an offer card or a banner. Shared by the server (which refuses) and the
// dialogs (which say why before sending).

export const SHORT_NOTE_MAX = 300;

/** Any control character (line breaks and tabs too: it is one line) or a bidi embedding/override/isolate. */
const FORBIDDEN = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/u;

export type NoteCheck = { ok: true; value: string | null } | { ok: false; message: string };

/** The note as stored (trimmed, NFC; null when nothing visible), or why it is refused. */
export function checkShortNote(raw: string): NoteCheck {
	const value = raw.trim().normalize('NFC');
	if (FORBIDDEN.test(value)) return { ok: false, message: 'must be one line of plain text (no control or direction characters)' };
	if ([...value].length > SHORT_NOTE_MAX) return { ok: false, message: `at most ${SHORT_NOTE_MAX} characters` };
	return { ok: true, value: hasVisibleCharacter(value) ? value : null };
}
