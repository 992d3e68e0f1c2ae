import { eq } from 'drizzle-orm';
import { DomainError, type Ctx, type Identity } from '../context';
import { accessToDoc, presentIn } from '../identity/doc-access';

async function requireChat(ctx: Ctx, chatId: string) {
	const { db, t } = ctx.store;
	const [chat] = await db.select({ id: t.chats.id }).from(t.chats).where(eq(t.chats.id, chatId)).limit(1);
	if (!chat) throw new DomainError('NOT_FOUND', 'no such chat');
}

/**
 * B9: who may upload to a chat: whoever may write its messages now (its customer, its agents;
 * not once it ended), and for whispers (`agentsOnly`) only its agents and a supervisor watching it.
 */
export async function requireUploader(ctx: Ctx, chatId: string, agentsOnly: boolean): Promise<Identity> {
	const identity = ctx.actor;
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in or start a chat');
	await requireChat(ctx, chatId);
	const access = await accessToDoc(ctx, identity, { kind: 'chat', chatId });
	if (access === null) throw new DomainError('FORBIDDEN', 'this chat is not yours');
	// B6: a watching supervisor whispers, so it may upload the files its whispers carry.
	if (agentsOnly && access === 'read' && (await accessToDoc(ctx, identity, { kind: 'chatAgents', chatId })) === 'write') return identity;
	if (access === 'read') {
		// B6: a supervisor watching (not in the chat) reads it only.
		if (identity.kind === 'user' && identity.user.role === 'supervisor' && !(await presentIn(ctx, chatId, identity.user.id)))
			throw new DomainError('FORBIDDEN', 'you are watching this chat: join it to send files');
		throw new DomainError('CHAT_ENDED', 'the chat has ended');
	}
	if (agentsOnly && (await accessToDoc(ctx, identity, { kind: 'chatAgents', chatId })) === null)
		throw new DomainError('FORBIDDEN', 'only agents in the chat may upload files for agents only');
	return identity;
}

/**
 * B9: who may download a chat's file: its customer and its agents now (agents-only files: its
 * agents only; to anyone else they do not exist), and auditors (read-only, any chat).
 * Returns whether agents-only files are visible.
 */
export async function requireReader(ctx: Ctx, chatId: string): Promise<{ agentsOnly: boolean }> {
	const identity = ctx.actor;
	if (!identity) throw new DomainError('NOT_SIGNED_IN', 'please sign in or start a chat');
	await requireChat(ctx, chatId);
	if (identity.kind === 'user' && identity.user.role === 'auditor') return { agentsOnly: true };
	if ((await accessToDoc(ctx, identity, { kind: 'chat', chatId })) === null) throw new DomainError('FORBIDDEN', 'this chat is not yours');
	return { agentsOnly: (await accessToDoc(ctx, identity, { kind: 'chatAgents', chatId })) !== null };
}

/**
 * Before the body (and so its `agentsOnly` field) is read: whether this actor may upload any file
 * to the chat — for messages, or for whispers only (a watching supervisor, B6).
 */
export async function requireSomeUpload(ctx: Ctx, chatId: string): Promise<Identity> {
	try {
		return await requireUploader(ctx, chatId, false);
	} catch (err) {
		if (!(err instanceof DomainError) || err.code !== 'FORBIDDEN') throw err;
		return requireUploader(ctx, chatId, true);
	}
}
