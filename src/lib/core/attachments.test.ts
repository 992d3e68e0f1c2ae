import { describe, expect, it } from 'vitest';
import { cleanFileName } from './attachments';

// Issue 17: a file name is written by any uploader and shown on other people's screens, in the
// Content-Disposition header and in the audit export.
describe('[B9] cleanFileName: the worst names an uploader can send', () => {
	it('keeps only the last path segment (no directories, either separator)', () => {
		expect(cleanFileName('../../etc/passwd')).toBe('passwd');
		expect(cleanFileName('C:\\Users\\pat\\shot.png')).toBe('shot.png');
	});
	it('drops control and bidi-override characters (no reversed "gnp.exe" tricks, no header breaks)', () => {
		expect(cleanFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
		expect(cleanFileName('a\r\nSet-Cookie: x\u0000.png')).toBe('aSet-Cookie: x.png');
		expect(cleanFileName('\u2066x\u2069\u200f.png')).toBe('x.png');
	});
	it('is NFC and at most 200 characters (whole code points)', () => {
		expect(cleanFileName('e\u0301cran.png')).toBe('\u00e9cran.png');
		const long = cleanFileName('😀'.repeat(5000));
		expect([...long]).toHaveLength(200);
		expect(long).toBe('😀'.repeat(200));
	});
	it('gives "file" when nothing fit is left', () => {
		for (const raw of ['', '   ', '.', '..', 'dir/', '\u202E\u0000']) expect(cleanFileName(raw)).toBe('file');
	});
});
