import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

// B7: the loader every embedding page downloads stays tiny, and the README states its real size.

const loader = readFileSync('static/widget.js');
const kb = (bytes: number) => (bytes / 1024).toFixed(1);

describe('[#15 B7] the widget loader', () => {
	it('[#15 B7] is at most 3 KB gzip’d, and the README says how big it is', () => {
		const gzipped = gzipSync(loader, { level: 9 }).length;
		expect(gzipped).toBeLessThanOrEqual(3 * 1024);
		const readme = readFileSync('README.md', 'utf8');
		expect(readme).toContain(`**${kb(gzipped)} KB gzip'd**, ${kb(loader.length)} KB plain`);
	});
	it('[#15 B7] posts only to an exact origin (never "*") and fetches nothing but its settings (the frame, hidden, only for a live chat: issue 15)', () => {
		const text = loader.toString();
		expect(text).not.toMatch(/postMessage\([^)]*['"]\*['"]/);
		expect(text.match(/postMessage\(/g)).toHaveLength(1);
		expect(text).toContain('postMessage(message, base)');
		expect(text.match(/fetch\(/g)).toHaveLength(1);
	});
});
