import { and, asc, eq, gte, inArray, isNull, lte, max } from 'drizzle-orm';
import type { ActorRef, AuditEventRow, TimelineSource } from '../../../src/lib/core/audit/types';
import { mergeTimeline } from '../../../src/lib/core/audit/timeline';
import type { ChatSummary } from '../../../src/lib/core/audit/transcript';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Db } from '../../db/client';
import { auditEvents, chatParticipants, chats, customers, docUpdates, topics, users } from '../../db/schema';
import { DomainError } from '../context';

// The facts an auditor's view of one chat is made of: the chat, the names behind actor ids,
// its authority decisions, and the skeleton of its timeline (which log entry comes when).

type Reader = Pick<Db, 'select'>;

/** The documents of a chat, in the order ties are broken and ranges are listed. */
export const auditDocs = (chatId: string) => [docNames.chat(chatId), docNames.chatAgents(chatId)];

/** The chat as an auditor sees it in lists and exports; NOT_FOUND for an unknown id. */
export function loadChatSummary(db: Reader, chatId: string): ChatSummary {
	const row = db
		.select({ chat: chats, topic: topics.name, email: customers.email })
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.innerJoin(customers, eq(customers.id, chats.customerId))
		.where(eq(chats.id, chatId))
		.get();
	if (!row) throw new DomainError('NOT_FOUND', 'no such chat');
	const agents = db
		.select({ id: users.id, name: users.name })
		.from(chatParticipants)
		.innerJoin(users, eq(users.id, chatParticipants.userId))
		.where(and(eq(chatParticipants.chatId, chatId), eq(chatParticipants.role, 'agent')))
		.orderBy(asc(chatParticipants.joinedAt))
		.all();
	return {
		id: row.chat.id,
		customerId: row.chat.customerId,
		originatingAgentId: row.chat.originatingAgentId,
		topic: row.topic,
		routing: row.chat.routing,
		customerName: row.chat.customerName,
		customerEmail: row.email,
		identity: row.chat.identity,
		status: row.chat.status,
		createdAt: row.chat.createdAt,
		endedAt: row.chat.endedAt,
		agents
	};
}

const SYSTEM: ActorRef = { id: 'server', name: 'Parley', role: 'system' };

/** Names behind actor ids (users, customers, the server), looked up once per id. */
export function actorDirectory(db: Reader, ids: Iterable<string>, chat?: ChatSummary): (id: string) => ActorRef {
	const wanted = [...new Set(ids)].filter((id) => id !== 'server' && id !== 'system');
	const known = new Map<string, ActorRef>();
	for (let i = 0; i < wanted.length; i += 500) {
		const chunk = wanted.slice(i, i + 500);
		for (const u of db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(inArray(users.id, chunk)).all())
			known.set(u.id, u);
		for (const c of db.select({ id: customers.id, name: customers.name }).from(customers).where(inArray(customers.id, chunk)).all())
			if (!known.has(c.id)) known.set(c.id, { id: c.id, name: c.name, role: 'customer' });
	}
	// A returning customer may have given another name since: use the one this chat knows.
	if (chat) known.set(chat.customerId, { id: chat.customerId, name: chat.customerName, role: 'customer' });
	return (id) => known.get(id) ?? (id === 'server' || id === 'system' ? SYSTEM : { id, name: id, role: 'system' });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const agentIdsOf = (v: unknown) => (Array.isArray(v) ? v.flatMap((a) => (isRecord(a) && typeof a.id === 'string' ? [a.id] : [])) : []);
/** Whether a configuration change concerns one of these agents (assigned before or after it). */
const touches = (data: Record<string, unknown>, agentIds: ReadonlySet<string>) =>
	[...agentIdsOf(isRecord(data.before) ? data.before.agents : null), ...agentIdsOf(isRecord(data.after) ? data.after.agents : null)].some((id) =>
		agentIds.has(id)
	);

/**
 * A1: the chat's authority decisions — its own audit events, and configuration changes made
 * while it was open to a configuration of an agent who was in it (they decide C1 and C15).
 */
export function loadChatAuditEvents(db: Reader, chat: ChatSummary): AuditEventRow[] {
	const own = db.select().from(auditEvents).where(eq(auditEvents.chatId, chat.id)).orderBy(asc(auditEvents.id)).all();
	const agentIds = new Set(chat.agents.map((a) => a.id));
	const configs = agentIds.size === 0
		? []
		: db
				.select()
				.from(auditEvents)
				.where(
					and(
						isNull(auditEvents.chatId),
						eq(auditEvents.kind, 'configuration.updated'),
						gte(auditEvents.at, chat.createdAt),
						lte(auditEvents.at, chat.endedAt ?? Number.MAX_SAFE_INTEGER)
					)
				)
				.orderBy(asc(auditEvents.id))
				.all()
				.filter((e) => touches(e.data, agentIds));
	return [...own, ...configs].sort((a, b) => a.id - b.id);
}

/** Last seq of a document's log (0 when it has none). */
export function lastSeqOf(db: Reader, doc: string): number {
	return db.select({ seq: max(docUpdates.seq) }).from(docUpdates).where(eq(docUpdates.doc, doc)).get()?.seq ?? 0;
}

type DocSkeleton = { source: 'doc'; doc: string; docSeq: number; at: number; actor: string };

// Per-database caches (never module singletons shared across servers): a document's log only
// grows, so its last seq tells whether what was derived from it is still current.
const caches = new WeakMap<object, Map<string, Map<string, { version: number | string; value: unknown }>>>();

function cacheOf(db: Reader, kind: string) {
	let byKind = caches.get(db);
	if (!byKind) caches.set(db, (byKind = new Map()));
	let cache = byKind.get(kind);
	if (!cache) byKind.set(kind, (cache = new Map()));
	return cache;
}

/** What was derived for `doc` at its current version (last seq), if it is still in memory. */
export function peekPerDoc<T>(db: Reader, kind: string, doc: string, version: number | string): T | undefined {
	const cache = cacheOf(db, kind);
	const hit = cache.get(doc);
	if (!hit || hit.version !== version) return undefined;
	cache.delete(doc);
	cache.set(doc, hit);
	return hit.value as T;
}

/** Memoises `build` for `doc` at its current version; at most `limit` entries, least recently used out. */
export function cachedPerDoc<T>(db: Reader, kind: string, doc: string, version: number | string, build: () => T, limit = 64): T {
	const hit = peekPerDoc<T>(db, kind, doc, version);
	if (hit !== undefined) return hit;
	const cache = cacheOf(db, kind);
	const value = build();
	cache.delete(doc);
	cache.set(doc, { version, value });
	while (cache.size > limit) cache.delete(cache.keys().next().value as string);
	return value;
}

/** (seq, at, actor) of every update of a document, without the update bytes. */
export function docSkeleton(db: Reader, doc: string): DocSkeleton[] {
	return cachedPerDoc(db, 'skeleton', doc, lastSeqOf(db, doc), () =>
		db
			.select({ docSeq: docUpdates.seq, at: docUpdates.at, actor: docUpdates.actor })
			.from(docUpdates)
			.where(eq(docUpdates.doc, doc))
			.orderBy(asc(docUpdates.seq))
			.all()
			.map((r) => ({ source: 'doc' as const, doc, ...r }))
	);
}

/** What a chat's timeline is made of, as one string: equal versions mean an equal timeline. */
export function timelineVersion(db: Reader, chatId: string, events: readonly AuditEventRow[]): string {
	return [...auditDocs(chatId).map((d) => lastSeqOf(db, d)), events.length, events.at(-1)?.id ?? 0].join(':');
}

/** The chat's timeline order: every update of its documents and every decision, merged. */
export function timelineOrder(db: Reader, chatId: string, events: readonly AuditEventRow[]): TimelineSource[] {
	return cachedPerDoc(db, 'timeline-order', chatId, timelineVersion(db, chatId, events), () => {
		const decisions = events.map((e) => ({ source: 'authority' as const, auditId: e.id, at: e.at }));
		return mergeTimeline<TimelineSource>([...auditDocs(chatId).map((d) => docSkeleton(db, d)), decisions]);
	});
}
