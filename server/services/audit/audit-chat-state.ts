import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { describeAuditEvents, requestsAt } from '../../../src/lib/core/audit/describe-events';
import { parseAt, resolveAt, type AtQuery, type Moment } from '../../../src/lib/core/audit/timeline';
import type { ChatSummary, WorkspaceExport } from '../../../src/lib/core/audit/transcript';
import type { AuditEventRow } from '../../../src/lib/core/audit/types';
import { workspacesAt } from '../../../src/lib/core/audit/workspaces';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Db } from '../../db/client';
import { records } from '../../db/schema';
import { actorDirectory, auditDocs, lastSeqOf, loadChatAuditEvents, loadChatSummary, peekPerDoc, timelineOrder } from './audit-facts';
import { requireAuditor } from './audit-require';
import { docJson, rebuildDoc, stateFromIndex, type ReplayIndex } from './audit-replay';
import { orThrow, type Ctx, type Identity } from '../context';
import { parseInput } from '../input';

type Reader = Pick<Db, 'select'>;

/** C11–C13 at the moment: each present agent's records, with what each record is. */
function workspacesOf(db: Reader, chat: ChatSummary, participants: unknown, events: readonly AuditEventRow[]): WorkspaceExport[] {
	const { workspaces } = workspacesAt({
		originatingAgentId: chat.originatingAgentId,
		participants: typeof participants === 'object' && participants !== null ? (participants as Record<string, unknown>) : {},
		events
	});
	const ids = [...new Set(workspaces.flatMap((w) => w.recordIds))];
	const known = new Map(
		(ids.length ? db.select({ id: records.id, type: records.type, title: records.title }).from(records).where(inArray(records.id, ids)).all() : []).map((r) => [r.id, r])
	);
	return workspaces.map((w) => ({
		agentId: w.agentId,
		name: w.name,
		live: w.live,
		records: w.recordIds.map((id) => known.get(id) ?? { id, type: 'unknown', title: id })
	}));
}

export const AtInput = z.object({ at: z.string().max(64, 'too long').optional() });

/**
 * Each document of the chat as JSON after the moment, with the seq it was rebuilt to: from the
 * in-memory replay index when the timeline built one for the document's current log, else (and
 * always when `exact`) from the nearest stored checkpoint plus the updates after it.
 */
export function documentsAt(db: Reader, moment: Moment, exact = false): Record<string, Record<string, unknown>> {
	const out: Record<string, Record<string, unknown>> = {};
	for (const [doc, seq] of Object.entries(moment.docSeqs)) {
		const index = exact ? undefined : peekPerDoc<ReplayIndex>(db, 'replay-index', doc, lastSeqOf(db, doc));
		if (index) {
			out[doc] = { seq, ...stateFromIndex(index, seq) };
			continue;
		}
		const y = rebuildDoc(db, doc, seq);
		out[doc] = { seq, ...docJson(y) };
		y.destroy();
	}
	return out;
}

/**
 * A2: the chat exactly as it was at a moment — its documents (messages, participants, meta,
 * whispers …), the authority's decisions so far and the conference requests as they stood.
 */
export function chatStateAt(db: Reader, chat: ChatSummary, at: AtQuery, exact = false) {
	const events = loadChatAuditEvents(db, chat);
	const moment = orThrow(resolveAt(timelineOrder(db, chat.id, events), at, auditDocs(chat.id)));
	const included = new Set(moment.auditIds);
	const sofar = events.filter((e) => included.has(e.id));
	const actor = actorDirectory(db, sofar.map((e) => e.actor), chat);
	const nameOf = (id: string) => actor(id).name;
	const described = describeAuditEvents(sofar, nameOf);
	const documents = documentsAt(db, moment, exact);
	return {
		chat,
		moment: { step: moment.step, of: moment.of, time: moment.time },
		documents,
		events: sofar.map((e, i) => ({ id: e.id, at: e.at, actor: actor(e.actor), kind: e.kind, summary: described[i].summary, data: e.data })),
		requests: requestsAt(sofar, nameOf),
		workspaces: workspacesOf(db, chat, documents[docNames.chat(chat.id)]?.participants, sofar)
	};
}

/** GET /api/audit/chats/:id/state?at=<step|ISO time> */
export function getAuditState(ctx: Ctx, identity: Identity | null, chatId: string, query: unknown) {
	requireAuditor(identity);
	const { at } = parseInput(AtInput, query);
	const moment = orThrow(parseAt(at));
	return chatStateAt(ctx.db, loadChatSummary(ctx.db, chatId), moment);
}
