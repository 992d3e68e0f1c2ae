import { describeDocUpdate } from '../../../src/lib/core/audit/describe-changes';
import { describeAuditEvents } from '../../../src/lib/core/audit/describe-events';
import type { ChatSummary } from '../../../src/lib/core/audit/transcript';
import type { AuditEventRow, TimelineEntry } from '../../../src/lib/core/audit/types';
import type { Db } from '../../db/client';
import { actorDirectory, auditDocs, cachedPerDoc, docSkeleton, lastSeqOf, loadChatAuditEvents, loadChatSummary, timelineOrder, timelineVersion } from './audit-facts';
import { requireAuditor } from './audit-require';
import { buildReplayIndex, type ReplayIndex } from './audit-replay';
import type { Ctx, Identity } from '../context';

type Reader = Pick<Db, 'select'>;

// Replay indexes are the big ones (a document's changes and its JSON every few seqs): few kept.
const INDEXES_KEPT = 8;

/** A document's log replayed once per length: what each update changed, who wrote it, and marks. */
export function replayIndexOf(db: Reader, doc: string): ReplayIndex {
	return cachedPerDoc(db, 'replay-index', doc, lastSeqOf(db, doc), () => buildReplayIndex(db, doc), INDEXES_KEPT);
}

/**
 * A1/A2: every change to each document of the chat and every authority decision, in one
 * ordered list with actor, time and a summary; `seq` is the step number used by `at=`.
 */
export function buildTimeline(db: Reader, chat: ChatSummary): TimelineEntry[] {
	const events = loadChatAuditEvents(db, chat);
	// Keyed on the customer's name too: a returning customer may have given another one.
	const version = `${timelineVersion(db, chat.id, events)}:${chat.customerName}`;
	return cachedPerDoc(db, 'timeline', chat.id, version, () => describeTimeline(db, chat, events), INDEXES_KEPT);
}

function describeTimeline(db: Reader, chat: ChatSummary, events: AuditEventRow[]): TimelineEntry[] {
	const order = timelineOrder(db, chat.id, events);
	const docs = new Map(auditDocs(chat.id).map((d) => [d, replayIndexOf(db, d)]));
	const actorIds = new Set(events.map((e) => e.actor));
	for (const d of auditDocs(chat.id)) for (const s of docSkeleton(db, d)) actorIds.add(s.actor);
	const actor = actorDirectory(db, actorIds, chat);
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
export function getAuditTimeline(ctx: Ctx, identity: Identity | null, chatId: string) {
	requireAuditor(identity);
	const chat = loadChatSummary(ctx.db, chatId);
	return { chat, timeline: buildTimeline(ctx.db, chat) };
}
