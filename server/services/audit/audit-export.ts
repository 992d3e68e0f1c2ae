import { createHash } from 'node:crypto';
import { z } from 'zod';
import { parseAt } from '../../../src/lib/core/audit/timeline';
import { CHECKSUM_FRAMING, renderTranscriptHtml, TRANSCRIPT_FORMAT, type LogRange, type TranscriptExport } from '../../../src/lib/core/audit/transcript';
import type { UpdateLog } from '../../storage/update-log';
import { buildTimeline } from './audit-chat-timeline';
import { chatStateAt } from './audit-chat-state';
import { auditDocs, loadChatSummary } from './audit-facts';
import { requireAuditor } from './audit-require';
import { orThrow, type Call } from '../context';
import { parseInput } from '../input';
import { asc, eq } from 'drizzle-orm';
import type { Facts } from '../../storage/facts';

/** B9: the chat's files uploaded at or before `until` (ms since epoch), oldest first. */
async function attachmentsUpTo(store: Facts, chatId: string, until: number) {
	const { db, t } = store;
	const rows = await db.select().from(t.attachments).where(eq(t.attachments.chatId, chatId)).orderBy(asc(t.attachments.createdAt), asc(t.attachments.id));
	return rows
		.filter((r) => r.createdAt <= until)
		.map(({ id, name, type, size, sha256, uploadedBy, agentsOnly, createdAt, referencedAt }) => ({ id, name, type, size, sha256, uploadedBy, agentsOnly, createdAt, referencedAt }));
}

const Input = z.object({
	at: z.string().max(64, 'too long').optional(),
	format: z.enum(['json', 'html'], { errorMap: () => ({ message: 'use json or html' }) }).default('json')
});

/**
 * A3: SHA-256 of the log ranges a state was rebuilt from (seq 1 to the seq of each document at
 * the moment), framed as CHECKSUM_FRAMING says so that anyone can recompute it.
 */
export async function checksumLogRanges(
	log: UpdateLog,
	docSeqs: readonly { doc: string; toSeq: number }[]
): Promise<{ checksum: string; ranges: LogRange[] }> {
	const hash = createHash('sha256');
	const ranges: LogRange[] = [];
	for (const { doc, toSeq } of docSeqs) {
		const rows = toSeq > 0 ? await log.readRange(doc, { upTo: toSeq }) : [];
		const bytes = rows.reduce((n, r) => n + r.update.byteLength, 0);
		hash.update(`${doc} 1 ${toSeq} ${bytes}\n`, 'utf8');
		const len = Buffer.alloc(4);
		for (const r of rows) {
			len.writeUInt32BE(r.update.byteLength, 0);
			hash.update(len);
			hash.update(r.update);
		}
		ranges.push({ doc, fromSeq: 1, toSeq, updates: rows.length, bytes });
	}
	return { checksum: hash.digest('hex'), ranges };
}

/** GET /api/audit/chats/:id/export?at=…&format=json|html — a transcript of any moment. */
export async function exportAuditTranscript({ ctx, input }: Call<{ chatId: string; query: Record<string, string> }>) {
	const auditor = requireAuditor(ctx.actor);
	const { chatId } = input;
	const { at, format } = parseInput(Input, input.query);
	const moment = orThrow(parseAt(at));
	const chat = await loadChatSummary(ctx.store, chatId);
	// Evidence is rebuilt through Yjs from the stored log and checkpoints, not from memory.
	const state = await chatStateAt(ctx, chat, moment, true);
	const timeline = (await buildTimeline(ctx, chat)).slice(0, state.moment.step);
	const { checksum, ranges } = await checksumLogRanges(
		ctx.updates,
		auditDocs(chatId).map((doc) => ({ doc, toSeq: Number(state.documents[doc]?.seq ?? 0) }))
	);
	const data: TranscriptExport = {
		format: TRANSCRIPT_FORMAT,
		generatedAt: ctx.clock(),
		generatedBy: { id: auditor.id, name: auditor.name, role: 'auditor' },
		chat,
		moment: state.moment,
		documents: state.documents,
		requests: state.requests,
		workspaces: state.workspaces,
		timeline,
		attachments: await attachmentsUpTo(ctx.store, chatId, state.moment.step === state.moment.of ? Infinity : (state.moment.time ?? -Infinity)),
		log: { algorithm: 'SHA-256', checksum, framing: CHECKSUM_FRAMING, ranges }
	};
	const name = `parley-chat-${chatId}-step-${state.moment.step}`;
	if (format === 'html') return { format: 'html' as const, filename: `${name}.html`, body: renderTranscriptHtml(data) };
	return { format: 'json' as const, filename: `${name}.json`, data };
}
