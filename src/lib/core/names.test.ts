import { describe, expect, it } from 'vitest';
import { checkCustomerName, MAX_NAME_LENGTH, MAX_STACKED_MARKS, nameKey, normalizeName } from './names';

const STAFF = ['Ada', 'Grace', 'Linus', 'Margaret', 'Admin', 'Auditor'];

describe('display names (T2)', () => {
	it('[T2] a name is stored NFC, trimmed, with inner white space collapsed to one space', () => {
		expect(normalizeName('  Pat   ')).toEqual({ ok: true, value: 'Pat' });
		expect(normalizeName('Pat \u00a0\u3000 O\u2019Neil')).toEqual({ ok: true, value: 'Pat O\u2019Neil' });
		expect(normalizeName('Pa\u0301t')).toEqual({ ok: true, value: 'P\u00e1t' });
		expect(normalizeName('Zoë')).toEqual({ ok: true, value: 'Zoë' });
	});

	it('[T2] names from every script, emoji and the joiners they need are kept', () => {
		for (const name of ['李小龍', 'Мария', 'مهران\u200Cی', 'क्षत्रिय', 'क्\u200Dष', '❤\uFE0F Pat', '👩\u200D💻 Dev', '.', 'J. R.'])
			expect(normalizeName(name)).toEqual({ ok: true, value: name });
	});

	it('[T2] control characters (C0, C1, NUL, CR, LF, TAB, line separators) are refused with the code point', () => {
		for (const [raw, cp] of [
			['Pat\u0000', 'U+0000'],
			['Pat\r\nAda', 'U+000D'],
			['Pat\nAda', 'U+000A'],
			['Pat\tAda', 'U+0009'],
			['Pat\u007f', 'U+007F'],
			['Pat\u0085', 'U+0085'],
			['Pat\u009b', 'U+009B'],
			['Pat\u2028', 'U+2028']
		])
			expect(normalizeName(raw)).toMatchObject({ ok: false, code: 'CONTROL', message: expect.stringContaining(cp) });
	});

	it('[T2] every bidi control is refused', () => {
		for (const cp of [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069])
			expect(normalizeName(`Pat${String.fromCodePoint(cp)}liam`)).toMatchObject({ ok: false, code: 'BIDI' });
	});

	it('[T2] invisible format characters are refused, also a name of nothing but them', () => {
		for (const raw of ['\u200B', '\u200B\u200B\u200B', 'Pa\u200Bt', '\uFEFFPat', 'Pat\u00AD', 'Pat\u2060', 'P\u034Fat', 'Pat\u{E0041}', '\u3164', '\u115F', '\u2800', '\u200DPat', 'Pat\u200C', 'Pat \u200D Lee', '\uFE0FPat'])
			expect(normalizeName(raw)).toMatchObject({ ok: false, code: 'INVISIBLE' });
	});

	it('[T2] lone surrogates are refused (String.prototype.isWellFormed agrees)', () => {
		for (const raw of ['Pa\uD800t', 'Pat\uDC00', '\uDBFF'])
			expect(normalizeName(raw)).toMatchObject({ ok: false, code: 'BROKEN' });
		expect('Pat 😀'.isWellFormed()).toBe(true);
		expect(normalizeName('Pat 😀')).toEqual({ ok: true, value: 'Pat 😀' });
	});

	it('[T2] a name with nothing visible, or nothing at all, is refused', () => {
		for (const raw of ['', '   ', '\u3000\u00a0', '\u0301\u0301'])
			expect(normalizeName(raw)).toMatchObject({ ok: false, code: 'EMPTY' });
	});

	it(`[T2] at most ${MAX_NAME_LENGTH} code points and ${MAX_STACKED_MARKS} stacked accents`, () => {
		expect(normalizeName('x'.repeat(MAX_NAME_LENGTH))).toMatchObject({ ok: true });
		expect(normalizeName('😀'.repeat(MAX_NAME_LENGTH))).toMatchObject({ ok: true }); // 160 UTF-16 units
		expect(normalizeName('x'.repeat(MAX_NAME_LENGTH + 1))).toMatchObject({ ok: false, code: 'TOO_LONG' });
		// Counted after normalization: 100 decomposed letters compose to 50.
		expect(normalizeName('e\u0301'.repeat(50))).toMatchObject({ ok: true });
		expect(normalizeName('Z' + '\u0336'.repeat(MAX_STACKED_MARKS))).toMatchObject({ ok: true });
		expect(normalizeName('Z' + '\u0336'.repeat(MAX_STACKED_MARKS + 1))).toMatchObject({ ok: false, code: 'STACKED_MARKS' });
	});
});

describe('names kept for staff and the product (T2)', () => {
	it('[T2] a staff name is refused however it is dressed up, with what to do instead', () => {
		for (const name of ['Ada', 'ada', 'ADA', 'A d a', 'Ada.', 'Ａｄａ', 'Аda' /* Cyrillic А */, 'Ádá', 'ɡrace', 'Iinus', 'Marg\u0430ret'])
			expect(checkCustomerName(name, STAFF)).toMatchObject({ ok: false, code: 'RESERVED' });
		const refusal = checkCustomerName('ada', STAFF);
		expect(!refusal.ok && refusal.message).toMatch(/“Ada” is the name of someone on our team.*add your surname or an initial/);
	});

	it('[T2] "Parley" cannot be (part of) a customer name', () => {
		for (const name of ['Parley', 'parley', 'PARLEY support', 'Ρarley' /* Greek Ρ */, 'Ada from Parley'])
			expect(checkCustomerName(name, STAFF)).toMatchObject({ ok: false, code: 'RESERVED' });
	});

	it('[T2] names that only start like a staff name stay free', () => {
		for (const name of ['Ada L.', 'Ada Lovelace', 'Adam', 'Grace Hopper', 'Pat'])
			expect(checkCustomerName(name, STAFF)).toEqual({ ok: true, value: name });
	});

	it('[T2] the comparison key folds width, case, accents, lookalikes and separators', () => {
		expect(nameKey('Ｇｒａｃｅ')).toBe('grace');
		expect(nameKey('Straße')).toBe('strasse');
		expect(nameKey('Mar-ga_ret')).toBe('margaret');
		expect(nameKey('Ａda Lovelace')).toBe('adalovelace');
	});
});
