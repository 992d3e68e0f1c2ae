import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { describeAuditEvents, requestsAt } from '../../../src/lib/core/audit/describe-events';
import { parseAt, resolveAt, type AtQuery, type Moment } from '../../../src/lib/core/audit/timeline';
import type { ChatSummary, WorkspaceExport } from '../../../src/lib/core/audit/transcript';
import type { AuditEventRow } from '../../../src/lib/core/audit/types';
import { workspacesAt } from '../../../src/lib/core/audit/workspaces';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Facts } from '../../storage/facts';
import type { UpdateLog } from '../../storage/update-log';
import {
	actorDirectory,
	auditDocs,
	lastSeqOf,
	loadChatAuditEvents,
	loadChatSummary,
	peekPerDoc,
	timelineOrder,
	type AuditSource
} from './audit-facts';
import { requireAuditor } from './audit-require';
import { docJson, rebuildDoc, stateFromIndex, type ReplayIndex } from './audit-replay';
import { orThrow, type Call } from '../context';
import { parseInput } from '../input';

/** C11–C13 at the moment: each present agent's records, with what each record is. */
async function workspacesOf(store: Facts, chat: ChatSummary, participants: unknown, events: readonly AuditEventRow[]): Promise<WorkspaceExport[]> {
	const { workspaces } = workspacesAt({
		originatingAgentId: chat.originatingAgentId,
		participants: typeof participants === 'object' && participants !== null ? (participants as Record<string, unknown>) : {},
		events
	});
	const ids = [...new Set(workspaces.flatMap((w) => w.recordIds))];
	const { db, t } = store;
	const rows = ids.length ? await db.select({ id: t.records.id, type: t.records.type, title: t.records.title }).from(t.records).where(inArray(t.records.id, ids)) : [];
	const known = new Map(rows.map((r) => [r.id, r]));
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
export async function documentsAt(log: UpdateLog, moment: Moment, exact = false): Promise<Record<string, Record<string, unknown>>> {
	const out: Record<string, Record<string, unknown>> = {};
	for (const [doc, seq] of Object.entries(moment.docSeqs)) {
		const index = exact ? undefined : peekPerDoc<ReplayIndex>(log, 'replay-index', doc, await lastSeqOf(log, doc));
		if (index) {
			out[doc] = { seq, ...stateFromIndex(index, seq) };
			continue;
		}
		const y = await rebuildDoc(log, doc, seq);
		out[doc] = { seq, ...docJson(y) };
		y.destroy();
	}
	return out;
}

/**
 * A2: the chat exactly as it was at a moment — its documents (messages, participants, meta,
 * whispers …), the authority's decisions so far and the conference requests as they stood.
 */
export async function chatStateAt(src: AuditSource, chat: ChatSummary, at: AtQuery, exact = false) {
	const events = await loadChatAuditEvents(src.store, chat);
	const moment = orThrow(resolveAt(await timelineOrder(src.updates, chat.id, events), at, auditDocs(chat.id)));
	const included = new Set(moment.auditIds);
	const sofar = events.filter((e) => included.has(e.id));
	const actor = await actorDirectory(src.store, sofar.map((e) => e.actor), chat);
	const nameOf = (id: string) => actor(id).name;
	const described = describeAuditEvents(sofar, nameOf);
	const documents = await documentsAt(src.updates, moment, exact);
	return {
		chat,
		moment: { step: moment.step, of: moment.of, time: moment.time },
		documents,
		events: sofar.map((e, i) => ({ id: e.id, at: e.at, actor: actor(e.actor), kind: e.kind, summary: described[i].summary, data: e.data })),
		requests: requestsAt(sofar, nameOf),
		workspaces: await workspacesOf(src.store, chat, documents[docNames.chat(chat.id)]?.participants, sofar)
	};
}

/** GET /api/audit/chats/:id/state?at=<step|ISO time> */
export async function getAuditState({ ctx, input }: Call<{ chatId: string; query: Record<string, string> }>) {
	requireAuditor(ctx.actor);
	const { at } = parseInput(AtInput, input.query);
	const moment = orThrow(parseAt(at));
	return chatStateAt(ctx, await loadChatSummary(ctx.store, input.chatId), moment);
}
