import { createHash } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

// Lucia's design: the client holds a random token; the database holds only its SHA-256.
export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

// Node's native SHA-256 (the same hex as oslo's sha256 + encodeHexLowerCase, ~10× faster): every
// socket and request hashes a token, and the pure-JS hash was a visible part of connecting.
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Short random ids for rows and documents (URL- and doc-name-safe). */
export function newId(bytes = 12): string {
	const b = new Uint8Array(bytes);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
