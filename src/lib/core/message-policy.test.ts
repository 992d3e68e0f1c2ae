import { describe, expect, it } from 'vitest';
import { checkClientMessage, MAX_MESSAGE_TEXT, newTextMessage } from './message-policy';

const pat = { id: 'pat', role: 'customer' as const, name: 'Pat' };

describe('what a client may write', () => {
	it('[write-policy] a text message by its writer is accepted', () => {
		expect(checkClientMessage(newTextMessage(pat, 'hi', 1, 'm1'), pat, 1)).toMatchObject({ ok: true });
	});

	it('[write-policy] another author, a system message, extra keys and bad types are refused', () => {
		const m = newTextMessage(pat, 'hi', 1, 'm1');
		const cases: [unknown, string][] = [
			[{ ...m, author: { ...pat, id: 'ada' } }, 'NOT_YOUR_NAME'],
			[{ ...m, author: { ...pat, role: 'agent' } }, 'NOT_YOUR_NAME'],
			[{ ...m, kind: 'system' }, 'BAD_SHAPE'],
			[{ ...m, extra: 1 }, 'BAD_SHAPE'],
			[{ ...m, at: 'now' }, 'BAD_SHAPE'],
			[{ ...m, id: '' }, 'BAD_SHAPE'],
			[{ ...m, text: '   ' }, 'EMPTY'],
			[{ ...m, text: '\u200b\u200d\u2060' }, 'EMPTY'],
			[{ ...m, text: '\u202e\u2067' }, 'EMPTY'],
			[{ ...m, text: 'ok\u0007' }, 'BAD_TEXT'],
			[{ ...m, text: 'e\u0301' }, 'BAD_TEXT'],
			[{ ...m, at: 8.64e15 + 1 }, 'BAD_TIME'],
			[{ ...m, at: 1e300 }, 'BAD_SHAPE'],
			[{ ...m, at: 1.5 }, 'BAD_SHAPE'],
			[{ ...m, text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) }, 'TOO_LONG'],
			['hi', 'BAD_SHAPE'],
			[[m], 'BAD_SHAPE'],
			[null, 'BAD_SHAPE']
		];
		for (const [value, code] of cases) expect(checkClientMessage(value, pat, 1)).toMatchObject({ ok: false, code });
	});

	it('[T2] the browser builds what the policy accepts: NFC text, whole ms', () => {
		const m = newTextMessage(pat, 'Cafe\u0301', 1000.7, 'm1');
		expect(m).toMatchObject({ text: 'Caf\u00e9', at: 1001 });
		expect(checkClientMessage(m, pat, 1001)).toMatchObject({ ok: true });
		expect(checkClientMessage(m, pat, 1001 + 5 * 60_000 + 1)).toMatchObject({ ok: false, code: 'BAD_TIME' });
	});

	it('[write-policy] an object with a changed prototype is refused', () => {
		const m = Object.create({ evil: true });
		Object.assign(m, newTextMessage(pat, 'hi', 1, 'm1'));
		expect(checkClientMessage(m, pat, 1)).toMatchObject({ ok: false, code: 'BAD_SHAPE' });
	});
});

describe('[B9] attachments on a message', () => {
	const writer = { id: 'c1', role: 'customer' as const, name: 'Pat' };
	const at = 1_700_000_000_000;
	const base = { id: 'm1', kind: 'text', author: writer, text: '', at };
	it('[B9] a message may carry 1–10 distinct ids, and then needs no text', () => {
		expect(checkClientMessage({ ...base, attachments: ['a1'] }, writer, at)).toMatchObject({ ok: true, value: { attachments: ['a1'] } });
		expect(checkClientMessage(base, writer, at).ok).toBe(false);
	});
	it('[B9] anything else in `attachments` is refused', () => {
		for (const attachments of [[], ['a', 'a'], [1], 'a1', Array.from({ length: 11 }, (_, i) => `a${i}`), ['x'.repeat(65)]])
			expect(checkClientMessage({ ...base, attachments }, writer, at).ok, JSON.stringify(attachments)).toBe(false);
	});
});
