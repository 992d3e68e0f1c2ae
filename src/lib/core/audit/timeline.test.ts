import { describe, expect, it } from 'vitest';
import { mergeTimeline, parseAt, resolveAt } from './timeline';
import type { TimelineSource } from './types';

const d = (doc: string, docSeq: number, at: number): TimelineSource => ({ source: 'doc', doc, docSeq, at });
const a = (auditId: number, at: number): TimelineSource => ({ source: 'authority', auditId, at });
const DOCS = ['chat/x', 'chat/x/agents'];

describe('one timeline from several logs (A1, A2)', () => {
	it('[A1] orders by time; at equal times the decision comes before the document change', () => {
		const merged = mergeTimeline([[d('chat/x', 1, 10), d('chat/x', 2, 20)], [d('chat/x/agents', 1, 20)], [a(7, 10), a(8, 20)]]);
		expect(merged).toEqual([a(7, 10), d('chat/x', 1, 10), a(8, 20), d('chat/x', 2, 20), d('chat/x/agents', 1, 20)]);
	});

	it('[A1] a log keeps its own order even when its clock went backwards', () => {
		const merged = mergeTimeline([[d('chat/x', 1, 30), d('chat/x', 2, 10)], [a(1, 20)]]);
		expect(merged.filter((s) => s.source === 'doc').map((s) => (s as { docSeq: number }).docSeq)).toEqual([1, 2]);
	});

	it('[A2] at= is a step, an ISO time, or absent for the latest; anything else is refused', () => {
		expect(parseAt(undefined)).toEqual({ ok: true, value: { kind: 'latest' } });
		expect(parseAt('12')).toEqual({ ok: true, value: { kind: 'step', step: 12 } });
		expect(parseAt('2026-11-25T10:04:00Z')).toEqual({ ok: true, value: { kind: 'time', at: Date.UTC(2026, 10, 25, 10, 4) } });
		expect(parseAt('2026-11-25')).toMatchObject({ ok: true, value: { kind: 'time' } });
		for (const bad of ['-1', 'yesterday', '1e3', '2026-13-45T99:99Z', '<script>'])
			expect(parseAt(bad)).toMatchObject({ ok: false, code: 'BAD_INPUT' });
	});

	it('[A2] a moment gives each document the last seq included and the decisions so far', () => {
		const t = mergeTimeline([[d('chat/x', 1, 10), d('chat/x', 2, 20), d('chat/x', 3, 40)], [d('chat/x/agents', 1, 30)], [a(5, 15)]]);
		expect(resolveAt(t, { kind: 'step', step: 0 }, DOCS)).toEqual({ ok: true, value: { step: 0, of: 5, time: null, docSeqs: { 'chat/x': 0, 'chat/x/agents': 0 }, auditIds: [] } });
		expect(resolveAt(t, { kind: 'step', step: 4 }, DOCS)).toMatchObject({ ok: true, value: { step: 4, time: 30, docSeqs: { 'chat/x': 2, 'chat/x/agents': 1 }, auditIds: [5] } });
		expect(resolveAt(t, { kind: 'time', at: 25 }, DOCS)).toMatchObject({ ok: true, value: { step: 3, time: 20 } });
		expect(resolveAt(t, { kind: 'time', at: 5 }, DOCS)).toMatchObject({ ok: true, value: { step: 0 } });
		expect(resolveAt(t, { kind: 'latest' }, DOCS)).toMatchObject({ ok: true, value: { step: 5, docSeqs: { 'chat/x': 3 } } });
		expect(resolveAt(t, { kind: 'step', step: 6 }, DOCS)).toMatchObject({ ok: false, code: 'BAD_INPUT' });
	});
});
