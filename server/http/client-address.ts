import { isIP } from 'node:net';

/**
 * T3: the address a request comes from, for the per-address limits of sign-in and chat creation.
 *
 * Without a trusted proxy (`trustProxy` 0, the default) it is the socket's peer address and
 * `X-Forwarded-For` is ignored: anyone can write that header. Behind `trustProxy` = N reverse
 * proxies, each proxy appends the address it received the request from, so the Nth entry from the
 * right is the one the outermost trusted proxy saw; everything left of it was written by the client
 * and is never used. A list shorter than N (a request that passed fewer proxies) gives its
 * left-most entry, and an entry that is not an IP address gives the socket's address.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustProxy: number): string {
	const own = normalizeAddress(socketAddress ?? '') ?? 'unknown';
	if (trustProxy <= 0 || !forwardedFor) return own;
	const entries = forwardedFor.split(',').map((e) => e.trim());
	const entry = entries[Math.max(0, entries.length - trustProxy)];
	return normalizeAddress(entry) ?? own;
}

/**
 * The source one limit counts: an IPv4 address, or an IPv6 /64 network (one home or phone gets a
 * whole /64 and could otherwise take a fresh address for every request).
 */
export function sourceOf(address: string): string {
	if (isIP(address) !== 6) return address;
	return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** An IP address without port or brackets, IPv4-mapped IPv6 as IPv4, lower case; null if none. */
export function normalizeAddress(raw: string): string | null {
	let a = raw.trim().toLowerCase();
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
	if (bracketed) a = bracketed[1];
	else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
	a = a.replace(/%.*$/, ''); // zone index (fe80::1%eth0)
	if (a.startsWith('::ffff:') && isIP(a.slice(7)) === 4) a = a.slice(7);
	return isIP(a) ? a : null;
}

/** The eight 16-bit groups of an IPv6 address, each as plain hex without leading zeros. */
function expandIPv6(address: string): string[] {
	let text = address;
	const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (dotted) {
		const [a, b, c, d] = dotted[1].split('.').map(Number);
		text = text.slice(0, -dotted[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
	const left = head ? head.split(':') : [];
	const right = tail ? tail.split(':') : [];
	const middle = tail === null ? [] : Array(8 - left.length - right.length).fill('0');
	return [...left, ...middle, ...right].map((g) => parseInt(g, 16).toString(16));
}
