import { auditEvents } from '../db/schema';
import type { Db } from '../db/client';

/** A1: records a decision of the authority; call inside the transaction that makes the change. */
export function recordAudit(
	db: Pick<Db, 'insert'>,
	event: { chatId: string | null; actor: string; kind: string; data?: Record<string, unknown>; at: number }
) {
	db.insert(auditEvents)
		.values({ chatId: event.chatId, actor: event.actor, kind: event.kind, data: event.data ?? {}, at: event.at })
		.run();
}
