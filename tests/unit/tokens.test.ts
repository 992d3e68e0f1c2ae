import { describe, expect, it } from 'vitest';
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeHexLowerCase } from '@oslojs/encoding';
import { generateToken, hashToken } from '../../server/auth/tokens';

// Sessions and chat tokens are stored as their SHA-256 only (Lucia's design). The server hashes
// with node:crypto; databases written with oslo's hash must keep matching.
describe('token hashing', () => {
	it('matches oslo sha256 + lower-case hex for generated and odd tokens', () => {
		const tokens = [generateToken(), generateToken(), '', 'ünïcödé ✓', 'x'.repeat(1000)];
		for (const t of tokens)
			expect(hashToken(t)).toBe(encodeHexLowerCase(sha256(new TextEncoder().encode(t))));
	});

	it('differs for different tokens', () => {
		expect(hashToken('a')).not.toBe(hashToken('b'));
	});
});
