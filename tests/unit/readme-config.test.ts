import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingName } from '../../server/config-settings';

// The README's Configuration table is the contract for operators; server/config-settings.ts is
// what the server reads. Neither may drift from the other.

interface Row {
	name: string;
	defaultCell: string;
}

function configurationTable(): Row[] {
	const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
	const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0];
	if (!section) throw new Error('README has no "## Configuration" section');
	const lines = section.split('\n').filter((l) => l.startsWith('|'));
	expect(lines[0]).toMatch(/^\| variable \| default \| meaning \|$/);
	return lines.slice(2).map((line) => {
		const cells = line.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
		const name = cells[0].match(/^`([A-Z0-9_]+)`$/)?.[1];
		if (!name) throw new Error(`not a variable: ${cells[0]}`);
		return { name, defaultCell: cells[1] };
	});
}

/** A default that is one literal value (`5`, or `0` (off)); anything else is prose. */
const plainDefault = (cell: string) => cell.match(/^`([^`]+)`(?: \([^()]*\))?$/)?.[1];

describe('[config] README "Configuration" and server/config-settings.ts', () => {
	const rows = configurationTable();

	it('[config] name the same variables, each once', () => {
		const names = rows.map((r) => r.name);
		expect(new Set(names).size).toBe(names.length);
		expect([...names].sort()).toEqual(Object.keys(SETTINGS).sort());
	});

	it('[config] agree on every plain default, and a setting without a default has none in the README', () => {
		for (const { name, defaultCell } of rows) {
			const fallback = SETTINGS[name as SettingName]?.fallback;
			expect(plainDefault(defaultCell), `${name}: README default "${defaultCell}"`).toBe(fallback);
		}
	});
});
