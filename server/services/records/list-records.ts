import { z } from 'zod';
import { canSeeRecord } from '../../../src/lib/core/context/visibility';
import { records } from '../../db/schema';
import { viewerOf } from '../chats/chat-context';
import type { Ctx, Identity } from '../context';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';

const Query = z.object({ q: z.string().max(100).optional() });

/** C11: the records the caller may see, optionally searched by type, title or summary. */
export function listRecords(ctx: Ctx, identity: Identity | null, query: unknown) {
	const agent = requireAgent(identity);
	const q = (parseInput(Query, query).q ?? '').trim().toLowerCase();
	const viewer = viewerOf(agent);
	const all = ctx.db.select().from(records).all();
	return {
		records: all
			.filter((r) => canSeeRecord(viewer, r))
			.filter((r) => !q || `${r.type} ${r.title} ${r.summary}`.toLowerCase().includes(q))
			.map(publicRecord)
	};
}

export const publicRecord = (r: typeof records.$inferSelect) => ({ id: r.id, type: r.type, title: r.title, summary: r.summary });
