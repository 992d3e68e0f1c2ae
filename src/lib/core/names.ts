import { ok, refuse, type Result } from './result';

// T2: a display name is shown to agents, customers and auditors exactly as stored, so it must
// not be able to lie: no control or text-direction characters (a U+202E makes "Pat" read as
// "taP" and reorders what follows it on the screen), nothing invisible, no broken UTF-16 (lib0
// sends strings as UTF-8, so a lone surrogate reaches the browser as U+FFFD and the customer's
// own copy of its name no longer matches the server's), and something visible. The server
// stores the normalized name and hands it back, so every copy is spelled the same.

/** Longest name, in Unicode code points after normalization (not UTF-16 units, not bytes). */
export const MAX_NAME_LENGTH = 80;
/** Most combining marks in a row (accents on one letter); more is "Zalgo" text that spills over lines. */
export const MAX_STACKED_MARKS = 4;

export type NameRefusal = 'EMPTY' | 'BROKEN' | 'CONTROL' | 'BIDI' | 'INVISIBLE' | 'TOO_LONG' | 'STACKED_MARKS';

const LONE_SURROGATE = /\p{Cs}/u;
// C0 and C1 controls (NUL, TAB, CR, LF, DEL, NEL …) and the Unicode line and paragraph separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;
// Format characters, default-ignorable code points (zero-width space, soft hyphen, word joiner,
// Hangul fillers, tag characters, variation selectors …) and the blank Braille pattern.
const INVISIBLE = /[\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/u;
const JOINER = /[\u200C\u200D]/u;
const VARIATION_SELECTOR = /\p{Variation_Selector}/u;
/** What a joiner may sit between, and what a variation selector may follow: a visible character or a mark. */
const JOINABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u;
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
const STACKED = new RegExp(`\\p{M}{${MAX_STACKED_MARKS + 1},}`, 'u');

const hex = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * Normalizes a display name — NFC, inner runs of white space collapsed to one space, trimmed —
 * or refuses it with a reason a person can act on (the caller prefixes the field).
 */
export function normalizeName(raw: string): Result<string, NameRefusal> {
	if (LONE_SURROGATE.test(raw)) return refuse('BROKEN', 'contains a broken character (half of a UTF-16 surrogate pair); please type it again');
	const control = CONTROL.exec(raw)?.[0];
	if (control) return refuse('CONTROL', `contains a control character or line break (${hex(control)}); use letters and spaces on one line`);
	const bidi = BIDI.exec(raw)?.[0];
	if (bidi) return refuse('BIDI', `contains a text-direction control (${hex(bidi)}), which can make a name read backwards`);
	const name = raw.normalize('NFC').replace(/\p{White_Space}+/gu, ' ').replace(/^ | $/g, '');
	if (name === '') return refuse('EMPTY', 'please tell us your name');
	const hidden = invisibleIn(name);
	if (hidden) return refuse('INVISIBLE', `contains an invisible character (${hex(hidden)})`);
	if (!VISIBLE.test(name)) return refuse('EMPTY', 'has nothing visible in it; please tell us your name');
	if (STACKED.test(name)) return refuse('STACKED_MARKS', `has more than ${MAX_STACKED_MARKS} accents on one letter`);
	const length = [...name].length;
	if (length > MAX_NAME_LENGTH) return refuse('TOO_LONG', `is limited to ${MAX_NAME_LENGTH} characters (this one has ${length})`);
	return ok(name);
}

/**
 * The first invisible character out of place, if any. Two are kept where they do visible work:
 * a zero-width (non-)joiner between two visible characters (Persian and Indic names, emoji
 * sequences) and a variation selector right after a visible character (emoji presentation).
 */
function invisibleIn(name: string): string | null {
	const chars = [...name];
	for (let i = 0; i < chars.length; i++) {
		const ch = chars[i];
		if (!INVISIBLE.test(ch)) continue;
		const before = chars[i - 1] ?? '';
		const after = chars[i + 1] ?? '';
		if (JOINER.test(ch) && JOINABLE.test(before) && !JOINER.test(before) && JOINABLE.test(after)) continue;
		if (VARIATION_SELECTOR.test(ch) && JOINABLE.test(before) && !VARIATION_SELECTOR.test(before)) continue;
		return ch;
	}
	return null;
}

// Letters of other scripts that look like Latin ones, mapped to what they look like (a small,
// cheap set: the lookalikes of the letters names are made of). Capital I and the digits 1 and 0
// become l and o, which they resemble in most fonts.
const LOOKALIKES: Record<string, string> = {
	а: 'a', б: 'b', в: 'b', е: 'e', ё: 'e', г: 'r', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', м: 'm', н: 'h', о: 'o',
	п: 'n', р: 'p', с: 'c', т: 't', у: 'y', х: 'x', ѕ: 's', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l', ɡ: 'g', ı: 'i',
	А: 'a', В: 'b', Е: 'e', К: 'k', М: 'm', Н: 'h', О: 'o', Р: 'p', С: 'c', Т: 't', У: 'y', Х: 'x', І: 'l', Ј: 'j', Ѕ: 's', Ԁ: 'd',
	α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x',
	Α: 'a', Β: 'b', Ε: 'e', Ζ: 'z', Η: 'h', Ι: 'l', Κ: 'k', Μ: 'm', Ν: 'n', Ο: 'o', Ρ: 'p', Τ: 't', Υ: 'y', Χ: 'x',
	I: 'l', '1': 'l', '0': 'o'
};

/**
 * What a name looks like, for telling two names apart: compatibility forms folded (fullwidth
 * "Ａｄａ", ligatures, superscripts), accents dropped, common lookalike letters mapped, case
 * folded, and everything but letters and digits ignored ("A d a", "Ada.").
 */
export function nameKey(name: string): string {
	let key = knownKeys.get(name);
	if (key === undefined) {
		// Staff names are folded on every chat start: remembered (a pure function; a bounded map).
		if (knownKeys.size >= MAX_KNOWN_KEYS) knownKeys.clear();
		knownKeys.set(name, (key = foldName(name)));
	}
	return key;
}
const knownKeys = new Map<string, string>();
const MAX_KNOWN_KEYS = 10_000;

function foldName(name: string): string {
	return [...name.normalize('NFKD')]
		.map((ch) => LOOKALIKES[ch] ?? ch)
		.join('')
		.replace(/\p{M}/gu, '')
		.normalize('NFKC')
		.toUpperCase()
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]/gu, '');
}

/** The product's own name: system notices are signed with it, so no customer may use it. */
export const PRODUCT_NAME = 'Parley';

/**
 * T2: a customer's name must not pass for a member of staff or for the product. Refuses a name
 * that looks like one of `staffNames` (see `nameKey`) or has "Parley" in it, telling a real
 * customer what to do instead.
 */
export function checkCustomerName(name: string, staffNames: readonly string[]): Result<string, 'RESERVED'> {
	const key = nameKey(name);
	if (key.includes(nameKey(PRODUCT_NAME)))
		return refuse('RESERVED', `“${PRODUCT_NAME}” is the name our own notices are signed with, so it can't be part of a customer's name; please use your name without it`);
	const staff = staffNames.find((s) => nameKey(s) === key);
	if (staff)
		return refuse(
			'RESERVED',
			`“${staff}” is the name of someone on our team, so we can't show it for a customer; please add your surname or an initial (for example “${staff} L.”)`
		);
	return ok(name);
}
