import { createHash } from 'node:crypto';
import { and, asc, eq, lte } from 'drizzle-orm';
import { z } from 'zod';
import { parseAt } from '../../../src/lib/core/audit/timeline';
import { CHECKSUM_FRAMING, renderTranscriptHtml, TRANSCRIPT_FORMAT, type LogRange, type TranscriptExport } from '../../../src/lib/core/audit/transcript';
import type { Db } from '../../db/client';
import { docUpdates } from '../../db/schema';
import { buildTimeline } from './audit-chat-timeline';
import { chatStateAt } from './audit-chat-state';
import { auditDocs, loadChatSummary } from './audit-facts';
import { requireAuditor } from './audit-require';
import { orThrow, type Ctx, type Identity } from '../context';
import { parseInput } from '../input';

type Reader = Pick<Db, 'select'>;

const Input = z.object({
	at: z.string().max(64, 'too long').optional(),
	format: z.enum(['json', 'html'], { errorMap: () => ({ message: 'use json or html' }) }).default('json')
});

/**
 * A3: SHA-256 of the log ranges a state was rebuilt from (seq 1 to the seq of each document at
 * the moment), framed as CHECKSUM_FRAMING says so that anyone can recompute it.
 */
export function checksumLogRanges(db: Reader, docSeqs: readonly { doc: string; toSeq: number }[]): { checksum: string; ranges: LogRange[] } {
	const hash = createHash('sha256');
	const ranges: LogRange[] = [];
	for (const { doc, toSeq } of docSeqs) {
		const rows = toSeq > 0
			? db
					.select({ seq: docUpdates.seq, update: docUpdates.update })
					.from(docUpdates)
					.where(and(eq(docUpdates.doc, doc), lte(docUpdates.seq, toSeq)))
					.orderBy(asc(docUpdates.seq))
					.all()
			: [];
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
export function exportAuditTranscript(ctx: Ctx, identity: Identity | null, chatId: string, query: unknown) {
	const auditor = requireAuditor(identity);
	const { at, format } = parseInput(Input, query);
	const moment = orThrow(parseAt(at));
	const chat = loadChatSummary(ctx.db, chatId);
	// Evidence is rebuilt through Yjs from the stored log and checkpoints, not from memory.
	const state = chatStateAt(ctx.db, chat, moment, true);
	const timeline = buildTimeline(ctx.db, chat).slice(0, state.moment.step);
	const { checksum, ranges } = checksumLogRanges(
		ctx.db,
		auditDocs(chatId).map((doc) => ({ doc, toSeq: Number(state.documents[doc]?.seq ?? 0) }))
	);
	const data: TranscriptExport = {
		format: TRANSCRIPT_FORMAT,
		generatedAt: ctx.now(),
		generatedBy: { id: auditor.id, name: auditor.name, role: 'auditor' },
		chat,
		moment: state.moment,
		documents: state.documents,
		requests: state.requests,
		workspaces: state.workspaces,
		timeline,
		log: { algorithm: 'SHA-256', checksum, framing: CHECKSUM_FRAMING, ranges }
	};
	const name = `parley-chat-${chatId}-step-${state.moment.step}`;
	if (format === 'html') return { format: 'html' as const, filename: `${name}.html`, body: renderTranscriptHtml(data) };
	return { format: 'json' as const, filename: `${name}.json`, data };
}
