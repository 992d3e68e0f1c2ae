import { and, eq, lt } from 'drizzle-orm';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import { transcriptMail } from '../../mail/customer-mail';
import { recordAudit } from '../audit';
import { DomainError, type Call } from '../context';
import { customerOfChat } from './customer-of-chat';

/** How many transcripts one chat may email (the address is typed by the customer: no spamming). */
export const TRANSCRIPT_MAILS_PER_CHAT = 3;

/**
 * B8: emails the chat's transcript to its customer: to the email of a left message, else the one
 * given at the start. Only with SMTP configured, at most TRANSCRIPT_MAILS_PER_CHAT times a chat.
 */
export async function emailTranscript({ ctx, input: { chatId } }: Call<{ chatId: string }>) {
	const mailer = ctx.config.mail;
	const { to, topic } = await ctx.decide(async (ctx) => {
		const { customer, chat } = await customerOfChat(ctx, chatId);
		if (!mailer) throw new DomainError('EMAIL_OFF', 'email is not set up on this server; save the transcript instead');
		const { db, t } = ctx.store;
		const counted = await db
			.update(t.chats)
			.set({ transcriptMails: chat.transcriptMails + 1 })
			.where(and(eq(t.chats.id, chatId), eq(t.chats.transcriptMails, chat.transcriptMails), lt(t.chats.transcriptMails, TRANSCRIPT_MAILS_PER_CHAT)))
			.returning({ id: t.chats.id });
		if (counted.length !== 1) throw new DomainError('TOO_MANY_EMAILS', `a chat's transcript can be emailed ${TRANSCRIPT_MAILS_PER_CHAT} times`);
		const [owner] = await db.select({ email: t.customers.email }).from(t.customers).where(eq(t.customers.id, chat.customerId)).limit(1);
		const [topicRow] = await db.select({ name: t.topics.name }).from(t.topics).where(eq(t.topics.id, chat.topicId)).limit(1);
		await recordAudit(ctx.store, { chatId, actor: customer.customerId, kind: 'chat.transcript_mailed', at: ctx.clock() });
		return { to: chat.replyEmail ?? owner.email, topic: topicRow?.name ?? 'Chat' };
	});
	const { doc } = await ctx.docs.get(docNames.chat(chatId));
	try {
		await mailer!.send(transcriptMail(to, topic, doc.getArray(ROOT.MESSAGES).toArray()));
	} catch (err) {
		ctx.log.warn({ err, chatId }, 'transcript email not sent');
		throw new DomainError('INTERNAL', 'the email could not be sent; please try again later');
	}
	return { ok: true, to: maskEmail(to) };
}

/** "p•••@example.com": enough for the customer to recognise, not to read off a shared screen. */
const maskEmail = (email: string) => email.replace(/^(.)[^@]*/, '$1•••');
