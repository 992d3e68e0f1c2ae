import { z } from 'zod';
import { canSeeRecord } from '../../../src/lib/core/context/visibility';
import type { Tables } from '../../storage/facts';
import { viewerOf } from '../chats/chat-context';
import type { Call } from '../context';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';

const Query = z.object({ q: z.string().max(100).optional() });

/** C11: the records the caller may see, optionally searched by type, title or summary. */
export async function listRecords({ ctx, input }: Call<{ query: Record<string, string> }>) {
	const agent = requireAgent(ctx.actor);
	const q = (parseInput(Query, input.query).q ?? '').trim().toLowerCase();
	const viewer = viewerOf(agent);
	const { db, t } = ctx.store;
	const all = await db.select().from(t.records);
	return {
		records: all
			.filter((r) => canSeeRecord(viewer, r))
			.filter((r) => !q || `${r.type} ${r.title} ${r.summary}`.toLowerCase().includes(q))
			.map(publicRecord)
	};
}

export const publicRecord = (r: Tables['records']['$inferSelect']) => ({ id: r.id, type: r.type, title: r.title, summary: r.summary });
