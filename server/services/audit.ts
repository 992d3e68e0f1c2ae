import type { Facts } from '../storage/facts';

/** A1: records a decision of the authority; call with the decision's store (its transaction). */
export async function recordAudit(
	store: Facts,
	event: { chatId: string | null; actor: string; kind: string; data?: Record<string, unknown>; at: number }
): Promise<void> {
	const { db, t } = store;
	await db
		.insert(t.auditEvents)
		.values({ chatId: event.chatId, actor: event.actor, kind: event.kind, data: event.data ?? {}, at: event.at });
}
