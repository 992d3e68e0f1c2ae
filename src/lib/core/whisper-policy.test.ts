import { describe, expect, it } from 'vitest';
import { checkClientWhisper, draftInsertProblem, mentions, newWhisper } from './whisper-policy';

const ada = { id: 'ada', role: 'agent' as const, name: 'Ada' };
const T0 = 1_800_000_000_000;
const codeOf = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('[#14 B2] what a whisper must be', () => {
	it('[#14 B2] {id, author, text, at} by its writer, optionally with attachments', () => {
		expect(checkClientWhisper(newWhisper(ada, 'hello', T0, 'w1'), ada, T0)).toEqual({ ok: true, value: newWhisper(ada, 'hello', T0, 'w1') });
		expect(codeOf(checkClientWhisper({ ...newWhisper(ada, 'x', T0, 'w1'), attachments: ['a1'] }, ada, T0))).toBe('ok');
	});
	it('[#14 B2] the message rules, field for field; no kind, no extra keys, no prototype tricks', () => {
		const w = newWhisper(ada, 'hello', T0, 'w1');
		expect(codeOf(checkClientWhisper({ ...w, kind: 'text' }, ada, T0))).toBe('BAD_SHAPE');
		expect(codeOf(checkClientWhisper({ ...w, extra: 1 }, ada, T0))).toBe('BAD_SHAPE');
		expect(codeOf(checkClientWhisper(JSON.parse('{"__proto__":{"x":1},"id":"w","author":{"id":"ada","role":"agent","name":"Ada"},"text":"t","at":1800000000000}'), ada, T0))).toBe('BAD_SHAPE');
		expect(codeOf(checkClientWhisper([w], ada, T0))).toBe('BAD_SHAPE');
		expect(codeOf(checkClientWhisper({ ...w, author: { ...ada, name: 'Grace' } }, ada, T0))).toBe('NOT_YOUR_NAME');
		expect(codeOf(checkClientWhisper({ ...w, text: ' \u200b' }, ada, T0))).toBe('EMPTY');
		expect(codeOf(checkClientWhisper({ ...w, text: 'e\u0301' }, ada, T0))).toBe('BAD_TEXT');
		expect(codeOf(checkClientWhisper({ ...w, text: 'x'.repeat(4001) }, ada, T0))).toBe('TOO_LONG');
		expect(codeOf(checkClientWhisper({ ...w, at: T0 - 3_600_000 }, ada, T0))).toBe('BAD_TIME');
		expect(codeOf(checkClientWhisper({ ...w, attachments: [] }, ada, T0))).toBe('BAD_SHAPE');
	});
	it('[#14 B3] draft text: anything but control characters (tab and line breaks are fine)', () => {
		expect(draftInsertProblem('Hi\tthere\r\n')).toBeNull();
		expect(draftInsertProblem('bell\u0007')).not.toBeNull();
		expect(draftInsertProblem('\u009b')).not.toBeNull();
	});
	it('[#14 B2] @Name mentions, in any case, not as the start of a longer word', () => {
		expect(mentions({ text: 'ask @Grace please' }, 'Grace')).toBe(true);
		expect(mentions({ text: '@grace, look' }, 'Grace')).toBe(true);
		expect(mentions({ text: 'ping @Sam Reyes' }, 'Sam Reyes')).toBe(true);
		expect(mentions({ text: '@Gracey' }, 'Grace')).toBe(false);
		expect(mentions({ text: 'Grace' }, 'Grace')).toBe(false);
	});
});
