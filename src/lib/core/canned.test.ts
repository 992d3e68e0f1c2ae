import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_TEXT } from './message-policy';
import { CANNED_BODY_MAX, checkCannedBody, checkCannedTitle, fillPlaceholders, searchCanned, type CannedReply } from './canned';

const reply = (id: string, scope: CannedReply['scope'], title: string, body: string): CannedReply => ({ id, scope, title, body, updatedAt: 0 });

describe('[#16 canned] canned replies in the core', () => {
	it('fills {customer} and {agent} everywhere, and leaves other braces alone', () => {
		expect(fillPlaceholders('Hi {customer}, {agent} here. {customer}? {order}', { customer: 'Pat', agent: 'Ada' })).toBe(
			'Hi Pat, Ada here. Pat? {order}'
		);
		// A name that looks like a placeholder is not filled again.
		expect(fillPlaceholders('{customer} / {agent}', { customer: '{agent}', agent: 'Ada' })).toBe('{agent} / Ada');
	});

	it('searches title and text by every word, personal replies first', () => {
		const all = [reply('1', 'team', 'Refund policy', 'Refunds take 5 days'), reply('2', 'personal', 'My refund', 'I will refund it'), reply('3', 'team', 'Hello', 'Hi')];
		expect(searchCanned(all, 'REFUND').map((r) => r.id)).toEqual(['2', '1']);
		expect(searchCanned(all, 'refund days').map((r) => r.id)).toEqual(['1']);
		expect(searchCanned(all, '').map((r) => r.id)).toEqual(['2', '3', '1']);
	});

	it('holds at most one message', () => expect(CANNED_BODY_MAX).toBe(MAX_MESSAGE_TEXT));

	it('refuses the worst titles and bodies', () => {
		for (const bad of ['', '   ', '\u200B', 'a\nb', 'x\u202Ey', 'nul\u0000', 't'.repeat(81)]) expect(checkCannedTitle(bad).ok, JSON.stringify(bad)).toBe(false);
		for (const bad of ['', ' \n ', 'x\u2066y', 'bell\u0007', 'b'.repeat(4001)]) expect(checkCannedBody(bad).ok, JSON.stringify(bad)).toBe(false);
		expect(checkCannedTitle('  Greeting ')).toEqual({ ok: true, value: 'Greeting' });
		expect(checkCannedBody('Line one\n\tLine two')).toEqual({ ok: true, value: 'Line one\n\tLine two' });
	});
});
