import { describe, expect, it } from 'vitest';
import { CHAT_IDENTITIES, identityOfNewChat, isProven } from './identity';

describe('how a chat’s customer is known (T4)', () => {
	it('[T4] a new email founds its customer; an email in use needs a proven chat of that customer, or it is a claim', () => {
		expect(identityOfNewChat({ emailKnown: false, holdsProvenChat: false })).toBe('new');
		expect(identityOfNewChat({ emailKnown: true, holdsProvenChat: true })).toBe('token');
		expect(identityOfNewChat({ emailKnown: true, holdsProvenChat: false })).toBe('claimed');
	});

	it('[T4] every identity but a claim is proven, including the reserved signed and confirmed', () => {
		expect(CHAT_IDENTITIES.filter(isProven)).toEqual(['new', 'token', 'signed', 'confirmed']);
	});
});
