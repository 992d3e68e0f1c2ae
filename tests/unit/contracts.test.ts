import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createRoots as syncCreateRoots } from '../../server/sync/live-doc';
import { createRoots, DOC_ROOTS } from '../../src/lib/core/doc-roots';
import * as CLOSE from '../../src/lib/core/close-codes';
import { ERROR_STATUS, type ErrorCode } from '../../src/lib/core/error-codes';

// The contracts in src/lib/core are the lists; the README is what clients are written from.
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

describe('the README states the shared contracts', () => {
	it('lists every API error code under its status, as src/lib/core/error-codes.ts has them', () => {
		const byStatus = new Map<number, ErrorCode[]>();
		for (const [code, status] of Object.entries(ERROR_STATUS) as [ErrorCode, number][])
			byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
		const line = [...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => `${status} ${codes.map((c) => `\`${c}\``).join(', ')}`).join('; ');
		const stated = /Every code, by status \(one list for the server and the browser: `src\/lib\/core\/error-codes\.ts`\): ([^.]*)\./.exec(README);
		expect(stated?.[1]).toBe(line);
	});

	it('documents every WebSocket close code of src/lib/core/close-codes.ts', () => {
		const codes = Object.values(CLOSE).filter((v) => typeof v === 'number');
		expect(codes.length).toBeGreaterThan(10);
		const documented = /Close codes: (.*?)The stock y-websocket client stops reconnecting/.exec(README)?.[1] ?? '';
		expect(codes.filter((code) => !documented.includes(`\`${code}\``))).toEqual([]);
	});
});

describe('the document roots of src/lib/core/doc-roots.ts', () => {
	const rootsOf = (doc: Y.Doc) => [...doc.share].map(([name, type]) => `${name}:${type instanceof Y.Array ? 'array' : type instanceof Y.Map ? 'map' : type instanceof Y.Text ? 'text' : 'other'}`);
	const refs = [
		{ kind: 'chat', chatId: 'c1' },
		{ kind: 'chatAgents', chatId: 'c1' },
		{ kind: 'agent', agentId: 'a1' }
	] as const;

	it.each(refs)('are the roots the live $kind document is created with (names, types, order)', (ref) => {
		const core = new Y.Doc();
		createRoots(core, ref.kind);
		const live = new Y.Doc();
		syncCreateRoots(live, ref);
		expect(rootsOf(core)).toEqual(rootsOf(live));
		expect(rootsOf(core).map((r) => r.split(':')[0])).toEqual(Object.keys(DOC_ROOTS[ref.kind]));
	});
});

