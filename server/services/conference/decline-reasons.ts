import { and, eq, isNotNull } from 'drizzle-orm';
import type { Facts } from '../../storage/facts';

// Issue 16: the reasons given with the declines of one request, as the requester's banner says
// them: `Reason: “On a call”` for one; `Reasons: Grace “On a call”; Linus “Off shift”` for several.

export async function declineReasons(store: Facts, requestId: string): Promise<string | null> {
	const { db, t } = store;
	const o = t.conferenceOffers;
	const rows = await db
		.select({ name: t.users.name, reason: o.declineReason })
		.from(o)
		.innerJoin(t.users, eq(t.users.id, o.agentId))
		.where(and(eq(o.requestId, requestId), isNotNull(o.declineReason)));
	const given = rows.filter((r): r is { name: string; reason: string } => !!r.reason);
	if (given.length === 0) return null;
	if (given.length === 1) return `Reason: “${given[0].reason}”`;
	return `Reasons: ${given.map((r) => `${r.name} “${r.reason}”`).join('; ')}`;
}
