import { describe, expect, it } from 'vitest';
import { clientAddress, sourceOf } from '../../server/http/client-address';

describe('[T3] the client address behind TRUST_PROXY', () => {
	it('[T3] without TRUST_PROXY X-Forwarded-For is ignored; IPv4-mapped IPv6 reads as IPv4', () => {
		expect(clientAddress('::ffff:192.0.2.1', '198.51.100.1', 0)).toBe('192.0.2.1');
		expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
	});

	it('[T3] with N trusted proxies the Nth entry from the right counts; entries left of it are the client’s own and never used', () => {
		expect(clientAddress('10.0.0.1', '198.51.100.1', 1)).toBe('198.51.100.1');
		expect(clientAddress('10.0.0.1', '6.6.6.6, 198.51.100.1', 1)).toBe('198.51.100.1');
		expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.1, 10.0.0.1', 2)).toBe('198.51.100.1');
		// Fewer entries than proxies: the left-most, which the first proxy wrote.
		expect(clientAddress('10.0.0.2', '198.51.100.1', 2)).toBe('198.51.100.1');
		// No header: the socket; an entry that is no address: the socket.
		expect(clientAddress('10.0.0.1', undefined, 1)).toBe('10.0.0.1');
		expect(clientAddress('10.0.0.1', '6.6.6.6, unknown', 1)).toBe('10.0.0.1');
		expect(clientAddress('10.0.0.1', '6.6.6.6,', 1)).toBe('10.0.0.1');
	});

	it('[T3] ports, brackets and zones are dropped, case folded', () => {
		expect(clientAddress('10.0.0.1', '198.51.100.1:5678', 1)).toBe('198.51.100.1');
		expect(clientAddress('10.0.0.1', '[2001:DB8::1]:443', 1)).toBe('2001:db8::1');
		expect(clientAddress('fe80::1%eth0', undefined, 0)).toBe('fe80::1');
	});

	it('[T3] a source is an IPv4 address or an IPv6 /64 network', () => {
		expect(sourceOf('192.0.2.1')).toBe('192.0.2.1');
		expect(sourceOf('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
		expect(sourceOf('2001:0db8:0001:0002::9')).toBe('2001:db8:1:2::/64');
		expect(sourceOf('2001:db8::')).toBe('2001:db8:0:0::/64');
		expect(sourceOf('::1')).toBe('0:0:0:0::/64');
		expect(sourceOf('64:ff9b::192.0.2.1')).toBe('64:ff9b:0:0::/64');
		expect(sourceOf('unknown')).toBe('unknown');
	});
});
