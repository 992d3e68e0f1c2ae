import { describe, expect, it } from 'vitest';
import { linkParts, MAX_LINK } from './links';

const links = (text: string) => linkParts(text).filter((p) => p.href).map((p) => p.href);

describe('[B8 links] only http and https become links', () => {
	it('finds links in text and keeps the rest as text; the parts join back to the text', () => {
		const text = 'See https://example.com/a?b=1&c=2#d, or (http://example.org/x_(y)). Thanks!';
		const parts = linkParts(text);
		expect(parts.map((p) => p.text).join('')).toBe(text);
		expect(links(text)).toEqual(['https://example.com/a?b=1&c=2#d', 'http://example.org/x_(y)']);
	});

	it('refuses every other scheme and hostile form', () => {
		for (const hostile of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(document.cookie)',
			'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
			'vbscript:msgbox(1)',
			'file:///etc/passwd',
			'ftp://example.com/',
			'http://',
			'https://user:pass@example.com/',
			'<a href="javascript:alert(1)">x</a>',
			'//example.com/protocol-relative'
		])
			expect(links(hostile), hostile).toEqual([]);
	});

	it('a bidi control, zero-width or quote ends the link; the trick text stays plain', () => {
		expect(links('https://example.com\u202Emoc.evil//:sptth')).toEqual(['https://example.com/']);
		expect(links('https://exa\u200bmple.com')).toEqual(['https://exa/']);
		expect(links('https://example.com/"onmouseover="alert(1)')).toEqual(['https://example.com/']);
		const parts = linkParts('go https://example.com\u2066x');
		expect(parts.at(-1)).toEqual({ text: '\u2066x' });
	});

	it('a very long URL stays plain text', () => {
		const long = 'https://example.com/' + 'a'.repeat(MAX_LINK);
		expect(links(long)).toEqual([]);
		expect(linkParts(long)).toEqual([{ text: long }]);
		expect(links('https://example.com/' + 'a'.repeat(100))).toHaveLength(1);
	});

	it('an href is the parsed URL (no raw characters reach the attribute)', () => {
		expect(links('https://EXAMPLE.com/ä b')).toEqual(['https://example.com/%C3%A4']);
	});
});
