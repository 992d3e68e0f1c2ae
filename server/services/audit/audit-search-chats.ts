import { and, asc, desc, eq, gte, inArray, lte, or, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import { z } from 'zod';
import type { Tables } from '../../storage/facts';
import { requireAuditor } from './audit-require';
import { DomainError, type Call } from '../context';
import { parseInput } from '../input';

const LIMIT = 100;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 24 * 3600_000;

const Input = z.object({
	email: z.string().trim().toLowerCase().max(254).optional(),
	agent: z.string().trim().toLowerCase().max(254).optional(),
	topic: z.string().trim().toLowerCase().max(64).optional(),
	from: z.string().trim().max(40).optional(),
	to: z.string().trim().max(40).optional()
});

/** An ISO date or date-time; a date alone as `to` means the end of that day (UTC). */
function timeOf(field: 'from' | 'to', v: string | undefined): number | undefined {
	if (!v) return undefined;
	const t = Date.parse(v);
	if (!/^\d{4}-\d{2}-\d{2}/.test(v) || !Number.isFinite(t))
		throw new DomainError('BAD_INPUT', `${field}: give an ISO date (2026-11-25) or date and time`);
	return field === 'to' && DATE_ONLY.test(v) ? t + DAY_MS - 1 : t;
}

const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `lower(column) like pattern` with `like`'s escapes: case-insensitive alike on SQLite and
 * PostgreSQL (there `like` is case-sensitive). The SQL literal is '\' — one backslash on both,
 * PostgreSQL's standard_conforming_strings being on (its default).
 */
const contains = (column: SQLWrapper, text: string) => sql`lower(${column}) like ${like(text)} escape '\\'`;

type Query = z.infer<typeof Input>;

/** The search as SQL conditions over chats, topics and customers (and the chat's agents). */
function conditions(t: Tables, q: Query): SQL[] {
	const from = timeOf('from', q.from);
	const to = timeOf('to', q.to);
	const where: SQL[] = [];
	if (q.email) where.push(contains(t.customers.email, q.email));
	if (q.topic) where.push(or(sql`lower(${t.topics.id}) = ${q.topic}`, sql`lower(${t.topics.name}) = ${q.topic}`)!);
	if (from !== undefined) where.push(gte(t.chats.createdAt, from));
	if (to !== undefined) where.push(lte(t.chats.createdAt, to));
	// Any agent who was ever in the chat, by id, email or part of the name.
	if (q.agent)
		where.push(sql`exists (select 1 from ${t.chatParticipants} p join ${t.users} u on u.id = p.user_id
			where p.chat_id = ${t.chats.id} and p.role = 'agent'
			and (lower(u.id) = ${q.agent} or lower(u.email) = ${q.agent} or ${contains(sql.raw('u.name'), q.agent)}))`);
	return where;
}

/**
 * A2: finds chats for an auditor — by customer email (part of it), agent (id, name or email,
 * any agent who was ever in the chat), topic (id or name) and start date — newest first.
 */
export async function searchAuditChats({ ctx, input }: Call<{ query: Record<string, string> }>) {
	requireAuditor(ctx.actor);
	const q = parseInput(Input, input.query);
	const { db, t } = ctx.store;
	const where = conditions(t, q);
	const rows = await db
		.select({
			id: t.chats.id,
			topic: t.topics.name,
			routing: t.chats.routing,
			customerName: t.chats.customerName,
			customerEmail: t.customers.email,
			identity: t.chats.identity,
			status: t.chats.status,
			createdAt: t.chats.createdAt,
			endedAt: t.chats.endedAt
		})
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.innerJoin(t.customers, eq(t.customers.id, t.chats.customerId))
		.where(where.length ? and(...where) : undefined)
		.orderBy(desc(t.chats.createdAt), desc(t.chats.id))
		.limit(LIMIT + 1);
	const page = rows.slice(0, LIMIT);
	const p = t.chatParticipants;
	const agents = page.length
		? await db
				.select({ chatId: p.chatId, id: t.users.id, name: t.users.name })
				.from(p)
				.innerJoin(t.users, eq(t.users.id, p.userId))
				.where(and(eq(p.role, 'agent'), inArray(p.chatId, page.map((r) => r.id))))
				.orderBy(asc(p.joinedAt))
		: [];
	return {
		chats: page.map((r) => ({ ...r, agents: agents.filter((a) => a.chatId === r.id).map(({ id, name }) => ({ id, name })) })),
		truncated: rows.length > LIMIT
	};
}

