import { and, eq, gt } from 'drizzle-orm';
import { checkAccept } from '../../../src/lib/core/conference/rules';
import { docNames } from '../../../src/lib/core/doc-name';
import { recordAudit } from '../audit';
import { agentFactsOf, loadChatFacts, loadRequest } from './conference-facts';
import { publishOutcome } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Call } from '../context';
import { addAgentToChat, announceJoin, announceLeave, removeAgent } from '../chats/attendance';
import { systemNotice, writeChat } from '../chats/chat-docs';
import { requireAgent } from '../identity/require';
import { touchWorkspaces } from '../records/workspace-signal';

/**
 * C2/C4 (and L4 for transfers): an offered agent accepts and joins at once. Exactly one winner: the request moves
 * `pending → accepted` only where it is still pending and not yet expired, in one statement.
 */
export async function acceptConferenceRequest({ ctx, input }: Call<{ requestId: string }>) {
	const agent = requireAgent(ctx.actor);
	const { requestId } = input;
	const now = ctx.clock();
	return ctx.decide(async (ctx) => {
		const store = ctx.store;
		const { db, t } = store;
		const req = await loadRequest(store, requestId);
		const chat = await loadChatFacts(store, req.chatId);
		orThrow(checkAccept(req, await agentFactsOf(store, agent.id), chat, now));
		const r = t.conferenceRequests;
		const won = await db
			.update(r)
			.set({ status: 'accepted', decidedAt: now, decidedBy: agent.id })
			.where(and(eq(r.id, requestId), eq(r.status, 'pending'), gt(r.expiresAt, now)))
			.returning({ id: r.id });
		if (won.length !== 1) throw new DomainError('TAKEN', 'another agent already joined');
		await addAgentToChat(store, req.chatId, agent.id, now);
		await db.update(t.users).set({ lastAssignedAt: now }).where(eq(t.users.id, agent.id));
		// L4/C12 (issue 16): the agent who takes a transfer becomes the chat's originating agent, so
		// the owner is the one it was handed to, not whoever else has attended longest.
		if (req.kind === 'transfer') await db.update(t.chats).set({ originatingAgentId: agent.id }).where(eq(t.chats.id, req.chatId));
		await recordAudit(store, { chatId: req.chatId, actor: agent.id, kind: `${req.kind}.accepted`, data: { requestId }, at: now });
		// L4: on a transfer the requester hands over and leaves (if it is still in the chat).
		const [requester] = await db.select({ id: t.users.id, name: t.users.name }).from(t.users).where(eq(t.users.id, req.requesterId)).limit(1);
		const handedOver =
			req.kind === 'transfer' && chat.agentIds.includes(req.requesterId)
				? await removeAgent(store, req.chatId, req.requesterId, now, 'chat.transferred')
				: null;
		const label = await targetLabel(store, req);
		await publishOutcome(ctx, req, 'accepted', label);
		if (req.kind === 'transfer') {
			await announceJoin(ctx, req.chatId, agent, now, `${requester.name} transferred the chat to ${agent.name}`);
			// C6: the customer is told who joined, as for any other agent.
			await writeChat(ctx, req.chatId, agent.id, ({ messages }) => messages.push([systemNotice(`${agent.name} joined the chat`, now)]));
			if (handedOver) await announceLeave(ctx, req.chatId, requester, now, `${requester.name} left the chat`, handedOver);
		} else await announceJoin(ctx, req.chatId, agent, now);
		await touchWorkspaces(ctx, req.chatId);
		return { chatId: req.chatId, doc: docNames.chat(req.chatId) };
	});
}
