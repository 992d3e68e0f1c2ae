import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { MAX_MESSAGE_TEXT, newTextMessage } from '../../../src/lib/core/message-policy';
import { hasControlCharacter, hasVisibleCharacter } from '../../../src/lib/core/text';
import { isMailbox } from '../../mail/mailer';
import { recordAudit } from '../audit';
import { DomainError, type Call } from '../context';
import { parseInput } from '../input';
import { systemNotice, writeChat } from './chat-docs';
import { customerOfChat } from './customer-of-chat';
import { routeWaitingChats } from './route-waiting-chats';

const Input = z.object({
	email: z
		.string()
		.trim()
		.toLowerCase()
		.max(254)
		.refine(isMailbox, 'please give a valid email address'),
	text: z
		.string()
		.max(MAX_MESSAGE_TEXT, `at most ${MAX_MESSAGE_TEXT} characters`)
		.transform((s) => s.trim().normalize('NFC'))
		.refine(hasVisibleCharacter, 'please write your message')
		.refine((s) => !hasControlCharacter(s), 'must not hold control characters')
});

/**
 * B8: a waiting customer leaves a message and an email instead of waiting on. The chat stays in
 * the queue for whoever comes (agents pick it up like any chat); agents' replies are emailed to
 * `email` when SMTP is configured (mail-replies.ts). Once per chat, only while it waits.
 */
export async function leaveMessage({ ctx, input: { chatId, body } }: Call<{ chatId: string; body: unknown }>) {
	const { email, text } = parseInput(Input, body);
	return ctx.decide(async (ctx) => {
		const { customer, chat } = await customerOfChat(ctx, chatId);
		if (chat.status !== 'waiting') throw new DomainError('NOT_WAITING', 'an agent has already joined, or the chat has ended');
		if (chat.leftMessageAt != null) throw new DomainError('ALREADY_DONE', 'a message was already left in this chat');
		const { db, t } = ctx.store;
		const now = ctx.clock();
		const won = await db
			.update(t.chats)
			.set({ leftMessageAt: now, replyEmail: email })
			.where(and(eq(t.chats.id, chatId), eq(t.chats.status, 'waiting'), isNull(t.chats.leftMessageAt)))
			.returning({ id: t.chats.id });
		if (won.length !== 1) throw new DomainError('NOT_WAITING', 'an agent has already joined, or the chat has ended');
		await recordAudit(ctx.store, { chatId, actor: customer.customerId, kind: 'chat.message_left', data: { length: text.length }, at: now });
		const author = { id: customer.customerId, role: 'customer' as const, name: customer.name };
		await writeChat(ctx, chatId, customer.customerId, ({ messages, meta }) => {
			messages.push([newTextMessage(author, text, now, ctx.ids())]);
			const how = ctx.config.mail ? '; replies are sent by email' : '';
			messages.push([systemNotice(`${customer.name} left a message${how}`, now)]);
			meta.set('leftMessageAt', now);
		});
		await routeWaitingChats(ctx);
		return { ok: true, leftMessageAt: now, emailed: ctx.config.mail !== null };
	});
}
