import { ok, refuse, type Result } from '../result';
import type { TimelineSource } from './types';

// A1/A2: one ordered timeline per chat from several logs (each document's update log and the
// audit events), and what "the moment at=…" means in it.

/** Rank among equal times: a decision is taken before the documents show its effect. */
const rankOf = (s: TimelineSource) => (s.source === 'authority' ? 0 : 1);
const keyOf = (s: TimelineSource) => (s.source === 'authority' ? '' : s.doc);

/**
 * Merges per-source lists (each in its own log order) by time; ties go to authority decisions,
 * then by document name. Each source keeps its own order even if its clock went backwards, so
 * "up to step n" is always a prefix of every log.
 */
export function mergeTimeline<T extends TimelineSource>(sources: readonly (readonly T[])[]): T[] {
	const heads = sources.map(() => 0);
	const total = sources.reduce((n, s) => n + s.length, 0);
	const out: T[] = [];
	while (out.length < total) {
		let best = -1;
		for (let i = 0; i < sources.length; i++) {
			const item = sources[i][heads[i]];
			if (!item) continue;
			if (best < 0) {
				best = i;
				continue;
			}
			const b = sources[best][heads[best]];
			if (
				item.at < b.at ||
				(item.at === b.at && (rankOf(item) < rankOf(b) || (rankOf(item) === rankOf(b) && keyOf(item) < keyOf(b))))
			)
				best = i;
		}
		out.push(sources[best][heads[best]++]);
	}
	return out;
}

/** A moment in a timeline: the latest, after step n (0 = before anything), or at a time. */
export type AtQuery = { kind: 'latest' } | { kind: 'step'; step: number } | { kind: 'time'; at: number };

const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Parses `at=`: a step number of the timeline, or an ISO date/time; absent means the latest. */
export function parseAt(raw: string | null | undefined): Result<AtQuery, 'BAD_INPUT'> {
	if (raw === undefined || raw === null || raw.trim() === '') return ok({ kind: 'latest' });
	const s = raw.trim();
	if (/^\d{1,9}$/.test(s)) return ok({ kind: 'step', step: Number(s) });
	if (ISO.test(s)) {
		const t = Date.parse(s);
		if (Number.isFinite(t)) return ok({ kind: 'time', at: t });
	}
	return refuse('BAD_INPUT', 'at: give a step number of the timeline (0, 1, 2 …) or an ISO time such as 2026-11-25T10:04:00Z');
}

export interface Moment {
	/** Steps included (0 = none). */
	step: number;
	/** Steps in the whole timeline. */
	of: number;
	/** Time of the last included step, or null at step 0. */
	time: number | null;
	/** For each document: the last update seq included (0 = none). */
	docSeqs: Record<string, number>;
	/** Audit event ids included, in timeline order. */
	auditIds: number[];
}

/** Resolves a moment in an ordered timeline; `docs` lists the documents to report even at 0. */
export function resolveAt(ordered: readonly TimelineSource[], q: AtQuery, docs: readonly string[]): Result<Moment, 'BAD_INPUT'> {
	let step: number;
	switch (q.kind) {
		case 'latest':
			step = ordered.length;
			break;
		case 'step':
			if (q.step > ordered.length)
				return refuse('BAD_INPUT', `at: this timeline has ${ordered.length} steps (0–${ordered.length})`);
			step = q.step;
			break;
		case 'time': {
			// Entries are ordered by time per source, so the prefix up to the last entry ≤ t.
			step = 0;
			for (let i = 0; i < ordered.length; i++) if (ordered[i].at <= q.at) step = i + 1;
			break;
		}
		default: {
			const never: never = q;
			throw new Error(`unknown moment ${JSON.stringify(never)}`);
		}
	}
	const docSeqs: Record<string, number> = Object.fromEntries(docs.map((d) => [d, 0]));
	const auditIds: number[] = [];
	for (let i = 0; i < step; i++) {
		const s = ordered[i];
		if (s.source === 'doc') docSeqs[s.doc] = Math.max(docSeqs[s.doc] ?? 0, s.docSeq);
		else auditIds.push(s.auditId);
	}
	return ok({ step, of: ordered.length, time: step > 0 ? ordered[step - 1].at : null, docSeqs, auditIds });
}
