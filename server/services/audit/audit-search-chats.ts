import { and, desc, eq, gte, lte, or, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { chatParticipants, chats, customers, topics, users } from '../../db/schema';
import { requireAuditor } from './audit-require';
import { DomainError, type Ctx, type Identity } from '../context';
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
 * A2: finds chats for an auditor — by customer email (part of it), agent (id, name or email,
 * any agent who was ever in the chat), topic (id or name) and start date — newest first.
 */
export function searchAuditChats(ctx: Ctx, identity: Identity | null, query: unknown) {
	requireAuditor(identity);
	const q = parseInput(Input, query);
	const from = timeOf('from', q.from);
	const to = timeOf('to', q.to);
	const where: SQL[] = [];
	if (q.email) where.push(sql`lower(${customers.email}) like ${like(q.email)} escape '\\'`);
	if (q.topic) where.push(or(sql`lower(${topics.id}) = ${q.topic}`, sql`lower(${topics.name}) = ${q.topic}`)!);
	if (from !== undefined) where.push(gte(chats.createdAt, from));
	if (to !== undefined) where.push(lte(chats.createdAt, to));
	if (q.agent)
		where.push(sql`exists (select 1 from ${chatParticipants} p join ${users} u on u.id = p.user_id
			where p.chat_id = ${chats.id} and p.role = 'agent'
			and (lower(u.id) = ${q.agent} or lower(u.email) = ${q.agent} or lower(u.name) like ${like(q.agent)} escape '\\'))`);
	const rows = ctx.db
		.select({
			id: chats.id,
			topic: topics.name,
			routing: chats.routing,
			customerName: chats.customerName,
			customerEmail: customers.email,
			identity: chats.identity,
			status: chats.status,
			createdAt: chats.createdAt,
			endedAt: chats.endedAt
		})
		.from(chats)
		.innerJoin(topics, eq(topics.id, chats.topicId))
		.innerJoin(customers, eq(customers.id, chats.customerId))
		.where(where.length ? and(...where) : undefined)
		.orderBy(desc(chats.createdAt), desc(chats.id))
		.limit(LIMIT + 1)
		.all();
	const page = rows.slice(0, LIMIT);
	const agents = page.length
		? ctx.db
				.select({ chatId: chatParticipants.chatId, id: users.id, name: users.name })
				.from(chatParticipants)
				.innerJoin(users, eq(users.id, chatParticipants.userId))
				.where(and(eq(chatParticipants.role, 'agent'), sql`${chatParticipants.chatId} in ${page.map((r) => r.id)}`))
				.orderBy(chatParticipants.joinedAt)
				.all()
		: [];
	return {
		chats: page.map((r) => ({ ...r, agents: agents.filter((a) => a.chatId === r.id).map(({ id, name }) => ({ id, name })) })),
		truncated: rows.length > LIMIT
	};
}
