import { describe, expect, it } from 'vitest';
import { escapeHtml, transcriptHtml, transcriptText, utcTime } from './transcript';

const msg = (text: string, name = 'Pat', at = 0) => ({ id: 'm' + text.length, kind: 'text', author: { id: 'c', role: 'customer', name }, text, at });

describe('[B8] transcript', () => {
	it('plain text has a line per stored item, an unreadable one included', () => {
		const t = transcriptText('Parley chat — Billing', [msg('hello'), { junk: true }], utcTime);
		expect(t).toBe('Parley chat — Billing\n\n[1970-01-01 00:00 UTC] Pat: hello\n— unreadable message —\n');
	});
	it('HTML escapes every value: names, texts and the title', () => {
		const h = transcriptHtml('<script>t</script>', [msg('<img src=x onerror=alert(1)> & "q"', '<b>Eve</b>')], utcTime);
		expect(h).not.toMatch(/<script>|<img|<b>Eve/);
		expect(h).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;');
		expect(h).toContain('&lt;b&gt;Eve&lt;/b&gt;');
		expect(escapeHtml(`'`)).toBe('&#39;');
	});
});
