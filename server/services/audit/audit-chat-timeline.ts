import { describeDocUpdate } from '../../../src/lib/core/audit/describe-changes';
import { describeAuditEvents } from '../../../src/lib/core/audit/describe-events';
import type { ChatSummary } from '../../../src/lib/core/audit/transcript';
import type { AuditEventRow, TimelineEntry } from '../../../src/lib/core/audit/types';
import type { UpdateLog } from '../../storage/update-log';
import {
	actorDirectory,
	auditDocs,
	cachedPerDoc,
	docSkeleton,
	lastSeqOf,
	loadChatAuditEvents,
	loadChatSummary,
	timelineOrder,
	timelineVersion,
	type AuditSource
} from './audit-facts';
import { requireAuditor } from './audit-require';
import { buildReplayIndex, type ReplayIndex } from './audit-replay';
import type { Call } from '../context';

// Replay indexes are the big ones (a document's changes and its JSON every few seqs): few kept.
const INDEXES_KEPT = 8;

/** A document's log replayed once per length: what each update changed, who wrote it, and marks. */
export async function replayIndexOf(log: UpdateLog, doc: string): Promise<ReplayIndex> {
	return cachedPerDoc(log, 'replay-index', doc, await lastSeqOf(log, doc), () => buildReplayIndex(log, doc), INDEXES_KEPT);
}

/**
 * A1/A2: every change to each document of the chat and every authority decision, in one
 * ordered list with actor, time and a summary; `seq` is the step number used by `at=`.
 */
export async function buildTimeline(src: AuditSource, chat: ChatSummary): Promise<TimelineEntry[]> {
	const events = await loadChatAuditEvents(src.store, chat);
	// Keyed on the customer's name too: a returning customer may have given another one.
	const version = `${await timelineVersion(src.updates, chat.id, events)}:${chat.customerName}`;
	return cachedPerDoc(src.updates, 'timeline', chat.id, version, () => describeTimeline(src, chat, events), INDEXES_KEPT);
}

async function describeTimeline(src: AuditSource, chat: ChatSummary, events: AuditEventRow[]): Promise<TimelineEntry[]> {
	const log = src.updates;
	// The replay indexes first: the skeletons (and so the order) are then taken from them.
	const docs = new Map<string, ReplayIndex>();
	for (const d of auditDocs(chat.id)) docs.set(d, await replayIndexOf(log, d));
	const order = await timelineOrder(log, chat.id, events);
	const actorIds = new Set(events.map((e) => e.actor));
	for (const d of auditDocs(chat.id)) for (const s of await docSkeleton(log, d)) actorIds.add(s.actor);
	const actor = await actorDirectory(src.store, actorIds, chat);
	const nameOf = (id: string) => actor(id).name;
	const described = describeAuditEvents(events, nameOf);
	const decided = new Map(events.map((e, i) => [e.id, { e, d: described[i] }]));
	return order.map((s, i): TimelineEntry => {
		if (s.source === 'authority') {
			const { e, d } = decided.get(s.auditId)!;
			return { seq: i + 1, at: e.at, actor: actor(e.actor), doc: null, docSeq: null, auditId: e.id, via: null, kind: d.kind, summary: d.summary };
		}
		const index = docs.get(s.doc);
		const at = index?.bySeq.get(s.docSeq);
		const u = at === undefined ? undefined : index!.updates[at];
		const who = actor(u?.actor ?? 'server');
		const via = u?.via ?? 'server';
		const d = describeDocUpdate(u?.changes ?? [], via === 'server' ? 'server' : who.name);
		return { seq: i + 1, at: s.at, actor: who, doc: s.doc, docSeq: s.docSeq, auditId: null, via, ...d };
	});
}

/** GET /api/audit/chats/:id/timeline */
export async function getAuditTimeline({ ctx, input }: Call<{ chatId: string }>) {
	requireAuditor(ctx.actor);
	const chat = await loadChatSummary(ctx.store, input.chatId);
	return { chat, timeline: await buildTimeline(ctx, chat) };
}
