// What counts as something a reader can see (T2). Shared by the write policy (message text) and
// the browser's composer, so an honest client never sends what the server will refuse.

/**
 * Any character that is not whitespace, a control, a format character (zero-width and bidi
 * controls among them), a default-ignorable code point, a combining mark without a base, or one
 * of the blank-looking fillers (Braille blank, Hangul fillers) that render as nothing.
 */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{M}\p{Default_Ignorable_Code_Point}\u2800\u3164\uFFA0\u115F\u1160]/u;

/** Whether `text` shows anything at all. */
export const hasVisibleCharacter = (text: string) => VISIBLE.test(text);

/**
 * C0 and C1 control characters (`Cc`) other than tab, line feed and carriage return. One global
 * pattern serves both uses: `search` always starts at 0 and leaves `lastIndex` alone.
 */
const CONTROLS = /(?![\t\n\r])\p{Cc}/gu;

/** Whether a message text holds a control character (other than tab and line breaks). */
export const hasControlCharacter = (text: string) => text.search(CONTROLS) >= 0;

/** The text without those control characters (what the composer sends of a paste). */
export const withoutControlCharacters = (text: string) => text.replace(CONTROLS, '');
