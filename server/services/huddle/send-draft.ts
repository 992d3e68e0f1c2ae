import { z } from 'zod';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import { checkClientMessage, newTextMessage } from '../../../src/lib/core/message-policy';
import { MAX_DRAFT_TEXT } from '../../../src/lib/core/whisper-policy';
import { recordAudit } from '../audit';
import { writeChat } from '../chats/chat-docs';
import { loadChatFacts } from '../conference/conference-facts';
import { DomainError, type Call } from '../context';
import { authorOf } from '../identity/doc-access';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';

const Input = z.object({ text: z.string().max(MAX_DRAFT_TEXT) });

/**
 * B3: any agent in the chat sends the shared draft. In one decision the draft empties for
 * everyone and becomes one message in `chat/<id>`, authored by the sender; two agents pressing
 * Send at once give one message (the second finds the draft changed). `text` is the draft as the
 * sender sees it: a draft that changed since (someone still typing) is not sent (DRAFT_CHANGED).
 */
export async function sendDraft({ ctx, input }: Call<{ chatId: string; body: unknown }>) {
	const agent = requireAgent(ctx.actor);
	const { text: seen } = parseInput(Input, input.body);
	const author = authorOf(ctx.actor!);
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const chat = await loadChatFacts(ctx.store, input.chatId);
		if (!chat.agentIds.includes(agent.id)) throw new DomainError('NOT_PARTICIPANT', 'you are not in this chat');
		if (chat.status !== 'active') throw new DomainError(chat.status === 'ended' ? 'CHAT_ENDED' : 'CHAT_NOT_ACTIVE', 'the chat is not active');
		let draft = '';
		// Read and emptied in one synchronous change: no client write lands in between. Logged as the
		// server's (its decision, draft.sent, names the sender), so the audit tells it from a client's delete.
		await ctx.docs.change(docNames.chatAgents(input.chatId), 'server', (doc) => {
			const text = doc.getText(ROOT.DRAFT);
			draft = text.toString();
			if (draft === seen && text.length > 0) text.delete(0, text.length);
		});
		if (draft !== seen) throw new DomainError('DRAFT_CHANGED', 'the draft changed while you sent it; look again and send');
		const message = checkClientMessage(newTextMessage(author, draft, now, ctx.ids()), author, now);
		if (!message.ok) throw new DomainError('BAD_INPUT', `text: ${message.message}`);
		await writeChat(ctx, input.chatId, agent.id, ({ messages }) => messages.push([message.value]));
		await recordAudit(ctx.store, { chatId: input.chatId, actor: agent.id, kind: 'draft.sent', data: { messageId: message.value.id }, at: now });
		return { messageId: message.value.id };
	});
}
