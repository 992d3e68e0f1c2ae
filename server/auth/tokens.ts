import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

// Lucia's design: the client holds a random token; the database holds only its SHA-256.
export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export const hashToken = (token: string): string =>
	encodeHexLowerCase(sha256(new TextEncoder().encode(token)));

/** Short random ids for rows and documents (URL- and doc-name-safe). */
export function newId(bytes = 12): string {
	const b = new Uint8Array(bytes);
	crypto.getRandomValues(b);
	return encodeBase32LowerCaseNoPadding(b);
}
