import { describe, expect, it } from 'vitest';
import { checkShortNote, SHORT_NOTE_MAX } from './short-note';

describe('[#16 conference] a request note and a decline reason', () => {
	it('is trimmed and NFC-normalised; blank is no note', () => {
		expect(checkShortNote('  Cafe\u0301 order  ')).toEqual({ ok: true, value: 'Café order' });
		expect(checkShortNote('   ')).toEqual({ ok: true, value: null });
		expect(checkShortNote('\u200B\u200D')).toEqual({ ok: true, value: null });
	});

	it('refuses controls, line breaks and bidi overrides', () => {
		for (const bad of ['a\u0000b', 'two\nlines', 'tab\there', 'x\u202Eevil', 'x\u2066y', 'del\u007F'])
			expect(checkShortNote(bad).ok, JSON.stringify(bad)).toBe(false);
	});

	it('refuses more than the limit, counting code points', () => {
		expect(checkShortNote('😀'.repeat(SHORT_NOTE_MAX)).ok).toBe(true);
		expect(checkShortNote('a'.repeat(SHORT_NOTE_MAX + 1))).toEqual({ ok: false, message: `at most ${SHORT_NOTE_MAX} characters` });
	});
});
