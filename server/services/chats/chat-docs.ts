import type * as Y from 'yjs';
import { docNames } from '../../../src/lib/core/doc-name';
import * as ROOT from '../../../src/lib/core/doc-roots';
import type { AssignedChat, ChatMessage, ChatMeta, ChatOffer, Participant } from '../../../src/lib/core/types';
import { newId } from '../../auth/tokens';
import type { Ctx } from '../context';

// How verbs write to live documents. The server is the only writer of everything here. Inside a
// decision each change is part of it (logged in its transaction, broadcast after its commit).

export function systemNotice(text: string, at: number): ChatMessage {
	return { id: newId(), kind: 'system', author: { id: 'system', role: 'system', name: 'Parley' }, text, at };
}

export async function writeChat(
	ctx: Ctx,
	chatId: string,
	actor: string,
	fn: (parts: { messages: Y.Array<ChatMessage>; participants: Y.Map<Participant>; meta: Y.Map<ChatMeta[keyof ChatMeta]> }) => void
) {
	await ctx.docs.change(docNames.chat(chatId), actor, (doc) =>
		fn({
			messages: doc.getArray<ChatMessage>(ROOT.MESSAGES),
			participants: doc.getMap<Participant>(ROOT.PARTICIPANTS),
			meta: doc.getMap<ChatMeta[keyof ChatMeta]>(ROOT.META)
		})
	);
}

export async function putOffer(ctx: Ctx, agentId: string, offer: ChatOffer) {
	await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => doc.getMap<ChatOffer>(ROOT.OFFERS).set(offer.id, offer));
}

export async function removeOffer(ctx: Ctx, agentId: string, offerId: string) {
	await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => {
		const offers = doc.getMap(ROOT.OFFERS);
		if (offers.has(offerId)) offers.delete(offerId);
	});
}

export async function assignChat(ctx: Ctx, agentId: string, chat: AssignedChat) {
	await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => doc.getMap<AssignedChat>(ROOT.CHATS).set(chat.chatId, chat));
}

export async function unassignChat(ctx: Ctx, agentId: string, chatId: string) {
	await ctx.docs.change(docNames.agent(agentId), 'server', (doc) => {
		const chats = doc.getMap(ROOT.CHATS);
		if (chats.has(chatId)) chats.delete(chatId);
	});
}
