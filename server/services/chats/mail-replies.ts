import { and, eq, gt, isNotNull, ne, or } from 'drizzle-orm';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { ChatMessage } from '../../../src/lib/core/types';
import { replyMail } from '../../mail/customer-mail';
import { recordAudit } from '../audit';
import type { Call } from '../context';

/** How long after its end a left message's last replies are still looked for. */
const AFTER_END_MS = 60 * 60 * 1000;

/**
 * B8: emails each left message's new agent replies (those after `mailed_up_to`) to its
 * `reply_email`, with the transcript, and notes how far it got. Run by the queue job, outside
 * any decision (mail is slow). Sent before noted: a crash between sends a reply twice, never never.
 */
export async function mailReplies({ ctx }: Call) {
	const mailer = ctx.config.mail;
	if (!mailer) return;
	const { db, t } = ctx.store;
	const now = ctx.clock();
	const chats = await db
		.select({ chat: t.chats, topic: t.topics.name })
		.from(t.chats)
		.innerJoin(t.topics, eq(t.topics.id, t.chats.topicId))
		.where(
			and(
				isNotNull(t.chats.leftMessageAt),
				isNotNull(t.chats.replyEmail),
				ne(t.chats.status, 'waiting'),
				or(eq(t.chats.status, 'active'), gt(t.chats.endedAt, now - AFTER_END_MS))
			)
		);
	for (const { chat, topic } of chats) {
		const { doc } = await ctx.docs.get(docNames.chat(chat.id));
		const messages = doc.getArray<ChatMessage>(ROOT.MESSAGES).toArray();
		const since = chat.mailedUpTo ?? chat.leftMessageAt ?? 0;
		const replies = messages.filter((m) => m?.kind === 'text' && m.author?.role === 'agent' && typeof m.at === 'number' && m.at > since);
		if (replies.length === 0) continue;
		const upTo = Math.max(...replies.map((m) => m.at));
		let kind = 'chat.reply_mailed';
		try {
			await mailer.send(replyMail(chat.replyEmail!, topic, replies, messages));
		} catch (err) {
			// A 5xx answer is final (no such mailbox, refused): noted, not retried every few seconds.
			// Anything else (the SMTP server down, a 4xx) is tried again on the next run.
			const final = typeof (err as { responseCode?: unknown }).responseCode === 'number' && (err as { responseCode: number }).responseCode >= 500;
			ctx.log.warn({ err, chatId: chat.id }, final ? 'reply email refused by the SMTP server' : 'reply email not sent; will retry');
			if (!final) continue;
			kind = 'chat.reply_mail_refused';
		}
		await ctx.decide(async (ctx) => {
			await ctx.store.db.update(t.chats).set({ mailedUpTo: upTo }).where(eq(t.chats.id, chat.id));
			await recordAudit(ctx.store, { chatId: chat.id, actor: 'server', kind, data: { replies: replies.length }, at: ctx.clock() });
		});
	}
}
