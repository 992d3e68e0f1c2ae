import { and, asc, eq, gte, inArray, isNull, lte } from 'drizzle-orm';
import type { ActorRef, AuditEventRow, TimelineSource } from '../../../src/lib/core/audit/types';
import { mergeTimeline } from '../../../src/lib/core/audit/timeline';
import type { ChatSummary } from '../../../src/lib/core/audit/transcript';
import { docNames } from '../../../src/lib/core/doc-name';
import type { Facts } from '../../storage/facts';
import type { UpdateLog } from '../../storage/update-log';
import { DomainError } from '../context';

// The facts an auditor's view of one chat is made of: the chat, the names behind actor ids,
// its authority decisions (from the relational facts), and the skeleton of its timeline (which
// log entry comes when, from the update log).

/** What the audit reads: the relational facts and the update log (a Ctx is one). */
export interface AuditSource {
	store: Facts;
	updates: UpdateLog;
}

/** The documents of a chat, in the order ties are broken and ranges are listed. */
export const auditDocs = (chatId: string) => [docNames.chat(chatId), docNames.chatAgents(chatId)];

/** The chat as an auditor sees it in lists and exports; NOT_FOUND for an unknown id. */
export async function loadChatSummary(store: Facts, chatId: string): Promise<ChatSummary> {
	const { db, t } = store;
	const [row] = await db
		.select({ chat: t.chats, topic: t.topics.name, email: t.customers.email })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.innerJoin(t.customers, eq(t.customers.id, t.chats.customerId))
		.where(eq(t.chats.id, chatId))
		.limit(1);
	if (!row) throw new DomainError('NOT_FOUND', 'no such chat');
	const p = t.chatParticipants;
	const agents = await db
		.select({ id: t.users.id, name: t.users.name })
		.from(p)
		.innerJoin(t.users, eq(t.users.id, p.userId))
		.where(and(eq(p.chatId, chatId), eq(p.role, 'agent')))
		.orderBy(asc(p.joinedAt));
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
export async function actorDirectory(store: Facts, ids: Iterable<string>, chat?: ChatSummary): Promise<(id: string) => ActorRef> {
	const { db, t } = store;
	const wanted = [...new Set(ids)].filter((id) => id !== 'server' && id !== 'system');
	const known = new Map<string, ActorRef>();
	for (let i = 0; i < wanted.length; i += 500) {
		const chunk = wanted.slice(i, i + 500);
		for (const u of await db.select({ id: t.users.id, name: t.users.name, role: t.users.role }).from(t.users).where(inArray(t.users.id, chunk)))
			known.set(u.id, u);
		for (const c of await db.select({ id: t.customers.id, name: t.customers.name }).from(t.customers).where(inArray(t.customers.id, chunk)))
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
export async function loadChatAuditEvents(store: Facts, chat: ChatSummary): Promise<AuditEventRow[]> {
	const { db, t } = store;
	const e = t.auditEvents;
	const own = await db.select().from(e).where(eq(e.chatId, chat.id)).orderBy(asc(e.id));
	const agentIds = new Set(chat.agents.map((a) => a.id));
	const configs =
		agentIds.size === 0
			? []
			: (
					await db
						.select()
						.from(e)
						.where(
							and(
								isNull(e.chatId),
								eq(e.kind, 'configuration.updated'),
								gte(e.at, chat.createdAt),
								lte(e.at, chat.endedAt ?? Number.MAX_SAFE_INTEGER)
							)
						)
						.orderBy(asc(e.id))
				).filter((row) => touches(row.data, agentIds));
	return [...own, ...configs].sort((a, b) => a.id - b.id);
}

/** Last seq of a document's log (0 when it has none). */
export const lastSeqOf = (log: UpdateLog, doc: string): Promise<number> => log.lastSeq(doc);

type DocSkeleton = { source: 'doc'; doc: string; docSeq: number; at: number; actor: string };

// Per-log caches (never module singletons shared across servers): a document's log only
// grows, so its last seq tells whether what was derived from it is still current.
const caches = new WeakMap<object, Map<string, Map<string, { version: number | string; value: unknown }>>>();

function cacheOf(log: UpdateLog, kind: string) {
	let byKind = caches.get(log);
	if (!byKind) caches.set(log, (byKind = new Map()));
	let cache = byKind.get(kind);
	if (!cache) byKind.set(kind, (cache = new Map()));
	return cache;
}

/** What was derived for `doc` at its current version (last seq), if it is still in memory. */
export function peekPerDoc<T>(log: UpdateLog, kind: string, doc: string, version: number | string): T | undefined {
	const cache = cacheOf(log, kind);
	const hit = cache.get(doc);
	if (!hit || hit.version !== version) return undefined;
	cache.delete(doc);
	cache.set(doc, hit);
	return hit.value as T;
}

/** Memoises `build` for `doc` at its current version; at most `limit` entries, least recently used out. */
export async function cachedPerDoc<T>(
	log: UpdateLog,
	kind: string,
	doc: string,
	version: number | string,
	build: () => T | Promise<T>,
	limit = 64
): Promise<T> {
	const hit = peekPerDoc<T>(log, kind, doc, version);
	if (hit !== undefined) return hit;
	const value = await build();
	const cache = cacheOf(log, kind);
	cache.delete(doc);
	cache.set(doc, { version, value });
	while (cache.size > limit) cache.delete(cache.keys().next().value as string);
	return value;
}

const SKELETON_BATCH = 2000;

/** (seq, at, actor) of every update of a document, in seq order. */
export async function docSkeleton(log: UpdateLog, doc: string): Promise<DocSkeleton[]> {
	const lastSeq = await lastSeqOf(log, doc);
	return cachedPerDoc(log, 'skeleton', doc, lastSeq, async () => {
		// The timeline's replay index of this very log has them already: no second read of the bytes.
		const index = peekPerDoc<{ updates: { seq: number; at: number; actor: string }[] }>(log, 'replay-index', doc, lastSeq);
		const entries = index?.updates ?? (await readAll(log, doc));
		return entries.map((r) => ({ source: 'doc' as const, doc, docSeq: r.seq, at: r.at, actor: r.actor }));
	});
}

/** Every entry of a document's log, read in batches. */
async function readAll(log: UpdateLog, doc: string) {
	const out: { seq: number; at: number; actor: string }[] = [];
	for (let after = 0; ; ) {
		const rows = await log.readRange(doc, { after, limit: SKELETON_BATCH });
		for (const r of rows) out.push({ seq: r.seq, at: r.at, actor: r.actor });
		if (rows.length < SKELETON_BATCH) return out;
		after = rows[rows.length - 1].seq;
	}
}

/** What a chat's timeline is made of, as one string: equal versions mean an equal timeline. */
export async function timelineVersion(log: UpdateLog, chatId: string, events: readonly AuditEventRow[]): Promise<string> {
	const seqs = await Promise.all(auditDocs(chatId).map((d) => lastSeqOf(log, d)));
	return [...seqs, events.length, events.at(-1)?.id ?? 0].join(':');
}

/** The chat's timeline order: every update of its documents and every decision, merged. */
export async function timelineOrder(log: UpdateLog, chatId: string, events: readonly AuditEventRow[]): Promise<TimelineSource[]> {
	return cachedPerDoc(log, 'timeline-order', chatId, await timelineVersion(log, chatId, events), async () => {
		const decisions = events.map((e) => ({ source: 'authority' as const, auditId: e.id, at: e.at }));
		const skeletons: TimelineSource[][] = [];
		for (const d of auditDocs(chatId)) skeletons.push(await docSkeleton(log, d));
		return mergeTimeline<TimelineSource>([...skeletons, decisions]);
	});
}
