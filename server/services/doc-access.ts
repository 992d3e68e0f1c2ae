import { and, eq, isNull, sql } from 'drizzle-orm';
import { docAccess, type Access, type Who } from '../../src/lib/core/access';
import type { DocRef } from '../../src/lib/core/doc-name';
import type { Author } from '../../src/lib/core/types';
import { preparedFor } from '../db/prepared';
import { chatParticipants, chats } from '../db/schema';
import type { Ctx, Identity } from './context';

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

// Asked on every socket that opens a chat document: built once per database.
const accessQueries = preparedFor((db) => ({
	status: db
		.select({ status: chats.status })
		.from(chats)
		.where(eq(chats.id, sql.placeholder('chatId')))
		.prepare(),
	agents: db
		.select({ userId: chatParticipants.userId })
		.from(chatParticipants)
		.where(
			and(
				eq(chatParticipants.chatId, sql.placeholder('chatId')),
				eq(chatParticipants.role, 'agent'),
				isNull(chatParticipants.leftAt)
			)
		)
		.prepare()
}));

/** Loads the facts the access rule needs and asks it. */
export function accessToDoc(ctx: Ctx, identity: Identity, ref: DocRef): Access {
	if (ref.kind === 'agent') return docAccess(ref, whoOf(identity), null);
	const q = accessQueries(ctx.db);
	const chat = q.status.get({ chatId: ref.chatId });
	if (!chat) return null;
	const agents = q.agents.all({ chatId: ref.chatId });
	return docAccess(ref, whoOf(identity), {
		status: chat.status,
		activeAgentIds: agents.map((a) => a.userId)
	});
}
