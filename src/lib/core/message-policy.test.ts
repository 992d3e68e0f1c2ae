import { describe, expect, it } from 'vitest';
import { checkClientMessage, MAX_MESSAGE_TEXT, newTextMessage } from './message-policy';

const pat = { id: 'pat', role: 'customer' as const, name: 'Pat' };

describe('what a client may write', () => {
	it('[write-policy] a text message by its writer is accepted', () => {
		expect(checkClientMessage(newTextMessage(pat, 'hi', 1, 'm1'), pat)).toMatchObject({ ok: true });
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
			[{ ...m, text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) }, 'TOO_LONG'],
			['hi', 'BAD_SHAPE'],
			[[m], 'BAD_SHAPE'],
			[null, 'BAD_SHAPE']
		];
		for (const [value, code] of cases) expect(checkClientMessage(value, pat)).toMatchObject({ ok: false, code });
	});

	it('[write-policy] an object with a changed prototype is refused', () => {
		const m = Object.create({ evil: true });
		Object.assign(m, newTextMessage(pat, 'hi', 1, 'm1'));
		expect(checkClientMessage(m, pat)).toMatchObject({ ok: false, code: 'BAD_SHAPE' });
	});
});
