import { describe, expect, it } from 'vitest';
import { hasControlCharacter, hasVisibleCharacter, withoutControlCharacters } from './text';

describe('what a reader can see (T2)', () => {
	it('[T2] whitespace, zero-width, bidi controls, fillers and lone combining marks show nothing', () => {
		for (const s of ['', ' \t\n', '\u200b\u200c\u200d\u2060\ufeff', '\u202e', '\u2066\u2069', '\u3164', '\u2800', '\u0301\u0301', '\ufe0f'])
			expect(hasVisibleCharacter(s), JSON.stringify(s)).toBe(false);
	});

	it('[T2] letters, digits, punctuation and emoji are visible, also next to marks', () => {
		for (const s of ['a', '1', '?', '👍', '\u202ehello', 'e\u0301', '中'])
			expect(hasVisibleCharacter(s), JSON.stringify(s)).toBe(true);
	});

	it('[T2] control characters other than tab and line breaks are found and removed', () => {
		expect(hasControlCharacter('a\tb\r\nc')).toBe(false);
		for (const s of ['\u0000', 'a\u0007', '\u001b[31m', '\u007f', '\u0085']) expect(hasControlCharacter(s)).toBe(true);
		expect(withoutControlCharacters('\u001b[31mred\u0000\n')).toBe('[31mred\n');
	});
});
