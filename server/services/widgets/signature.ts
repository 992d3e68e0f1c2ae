import { createHmac, timingSafeEqual } from 'node:crypto';

/** The signature a site computes for its visitor: hex HMAC-SHA256 of the email, keyed with the widget's secret. */
export const signEmail = (email: string, secret: string): string => createHmac('sha256', secret).update(email, 'utf8').digest('hex');

/**
 * T4: whether `signature` signs `email` (exactly as given) with `secret`. Compared in constant
 * time over equal-length buffers (a hex string of any other length or alphabet simply fails).
 */
export function signatureValid(email: string, signature: string, secret: string): boolean {
	if (!/^[0-9a-f]{64}$/i.test(signature)) return false;
	const expected = Buffer.from(signEmail(email, secret), 'hex');
	return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}
