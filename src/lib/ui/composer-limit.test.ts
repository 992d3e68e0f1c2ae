import { describe, expect, it } from 'vitest';
import { MAX_MESSAGE_TEXT } from '$lib/core/message-policy';
import { COUNTER_FROM, counterText, overLimit, pasteRefusal } from './composer-limit';

describe('the composer’s limit (issue 16, composer)', () => {
	it('[#16 composer] a counter shows only as the limit nears, then how far over', () => {
		expect(counterText(COUNTER_FROM - 1)).toBeNull();
		expect(counterText(COUNTER_FROM)).toBe('500 characters left');
		expect(counterText(MAX_MESSAGE_TEXT)).toBe('0 characters left');
		expect(counterText(MAX_MESSAGE_TEXT + 12)).toBe('12 over the 4,000-character limit');
	});

	it('[#16 composer] a paste over the limit is refused with a message, a paste within it is not', () => {
		expect(pasteRefusal('', 0, 0, 'x'.repeat(5000))).toBe(
			'That paste is 5,000 characters; a message holds at most 4,000, so nothing was pasted. Send it in shorter parts.'
		);
		expect(pasteRefusal('hello ', 6, 6, 'x'.repeat(3995))).toMatch(/^With that paste the message would be 4,001 characters/);
		expect(pasteRefusal('', 0, 0, 'x'.repeat(MAX_MESSAGE_TEXT))).toBeNull();
		// Pasting over a selection replaces it: only what stays counts.
		expect(pasteRefusal('x'.repeat(100), 0, 100, 'y'.repeat(MAX_MESSAGE_TEXT))).toBeNull();
	});

	it('[#16 composer] a typed message over the limit cannot be sent, and says by how much', () => {
		expect(overLimit(MAX_MESSAGE_TEXT)).toBeNull();
		expect(overLimit(MAX_MESSAGE_TEXT + 3)).toBe('This message is 3 characters over the limit of 4,000. Shorten it to send.');
	});
});
