import { and, eq, isNull, sql } from 'drizzle-orm';
import { docAccess, type Access, type Who } from '../../../src/lib/core/access';
import type { DocRef } from '../../../src/lib/core/doc-name';
import type { Author } from '../../../src/lib/core/types';
import { preparedFor } from '../../db/prepared';
import type { Ctx, Identity } from '../context';

export function whoOf(identity: Identity): Who {
	return identity.kind === 'customer'
		? { kind: 'customer', chatId: identity.chatId }
		: { kind: 'user', id: identity.user.id, role: identity.user.role };
}

/** How a message by this identity is signed (the write policy compares against it). */
export function authorOf(identity: Identity): Author {
	return identity.kind === 'customer'
		? { id: identity.customerId, role: 'customer', name: identity.name }
		: { id: identity.user.id, role: 'agent', name: identity.user.name };
}

export function actorOf(identity: Identity): string {
	return identity.kind === 'customer' ? identity.customerId : identity.user.id;
}

// Asked on every socket that opens a chat document: one statement, built once per store. An
// agent's facts are narrowed to the agent asking (present or not), which is all the rule reads.
const accessQueries = preparedFor(({ db, t: { chats, chatParticipants } }) => ({
	status: db
		.select({ status: chats.status })
		.from(chats)
		.where(eq(chats.id, sql.placeholder('chatId')))
		.prepare('access_chat_status'),
	statusAndPresence: db
		.select({
			status: chats.status,
			// 1/0 on SQLite, true/false on PostgreSQL: read as truthy.
			present: sql<number | boolean>`EXISTS (SELECT 1 FROM ${chatParticipants} WHERE ${and(
				eq(chatParticipants.chatId, chats.id),
				eq(chatParticipants.userId, sql.placeholder('userId')),
				eq(chatParticipants.role, 'agent'),
				isNull(chatParticipants.leftAt)
			)})`
		})
		.from(chats)
		.where(eq(chats.id, sql.placeholder('chatId')))
		.prepare('access_chat_status_and_presence')
}));

/** Loads the facts the access rule needs and asks it. */
export async function accessToDoc(ctx: Ctx, identity: Identity, ref: DocRef): Promise<Access> {
	const who = whoOf(identity);
	if (ref.kind === 'agent') return docAccess(ref, who, null);
	const q = accessQueries(ctx.store);
	if (who.kind === 'customer') {
		const chat = (await q.status.execute({ chatId: ref.chatId }))[0];
		return chat ? docAccess(ref, who, { status: chat.status, activeAgentIds: [] }) : null;
	}
	const chat = (await q.statusAndPresence.execute({ chatId: ref.chatId, userId: who.id }))[0];
	if (!chat) return null;
	const supervised = identity.kind === 'user' && identity.user.role === 'supervisor' ? await ofTeams(ctx, ref.chatId, identity.user.skills) : false;
	return docAccess(ref, who, { status: chat.status, activeAgentIds: chat.present ? [who.id] : [], supervised });
}

/** B6: whether the chat's topic is of one of these skills (a supervisor's teams). */
export async function ofTeams(ctx: Ctx, chatId: string, skills: readonly string[]): Promise<boolean> {
	const { db, t } = ctx.store;
	const [row] = await db.select({ skill: t.chats.skill }).from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	return row !== undefined && skills.includes(row.skill);
}

/** B3: whether this user is in the chat now (the shared draft is for those in it). */
export async function presentIn(ctx: Ctx, chatId: string, userId: string): Promise<boolean> {
	const chat = (await accessQueries(ctx.store).statusAndPresence.execute({ chatId, userId }))[0];
	return Boolean(chat?.present);
}
