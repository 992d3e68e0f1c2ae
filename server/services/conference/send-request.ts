import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { checkRequest } from '../../../src/lib/core/conference/rules';
import type { RequestKind, RequestTarget } from '../../../src/lib/core/conference/types';
import { newId } from '../../auth/tokens';
import { chatConfigurations, conferenceOffers, conferenceRequests, topics, users } from '../../db/schema';
import { recordAudit } from '../audit';
import { agentFactsOf, loadAgentFacts, loadChatFacts, pendingRequests, toRequest } from './conference-facts';
import { publishRequest } from './conference-docs';
import { targetLabel } from './conference-target';
import { DomainError, orThrow, type Ctx, type Identity } from '../context';
import { parseInput } from '../input';
import { requireAgent } from '../identity/require';

const Input = z
	.object({ agentId: z.string().min(1).max(64).optional(), skill: z.string().min(1).max(64).optional() })
	.strict()
	.refine((b) => (b.agentId === undefined) !== (b.skill === undefined), {
		message: 'give exactly one target: agentId or skill',
		path: ['agentId']
	});

/**
 * C1–C3 and L4: an agent in a chat asks one agent, or all available agents with a skill, to join
 * (conference) or to take the chat over (transfer). Both share offers, accept, decline and expiry.
 */
export function sendRequest(ctx: Ctx, identity: Identity | null, chatId: string, input: unknown, kind: RequestKind) {
	const requester = requireAgent(identity);
	const body = parseInput(Input, input);
	const target: RequestTarget = body.agentId ? { kind: 'agent', agentId: body.agentId } : { kind: 'skill', skill: body.skill! };
	if (target.kind === 'agent' && !ctx.db.select({ id: users.id }).from(users).where(eq(users.id, target.agentId)).get())
		throw new DomainError('NOT_FOUND', 'agentId: no such agent');
	const now = ctx.now();
	const { req, chat, label } = ctx.db.transaction((tx) => {
		const chat = loadChatFacts(tx, chatId);
		const offerees = orThrow(
			checkRequest({
				kind,
				requester: agentFactsOf(ctx.db, requester.id),
				chat,
				target,
				agents: loadAgentFacts(ctx.db).filter((a) => a.id !== requester.id),
				pending: pendingRequests(tx, { chatId })
			})
		);
		const timeout =
			tx
				.select({ s: chatConfigurations.requestTimeoutSec })
				.from(chatConfigurations)
				.where(eq(chatConfigurations.id, requester.chatConfigurationId ?? ''))
				.get()?.s ?? 60;
		const row = {
			id: newId(),
			kind,
			chatId,
			requesterId: requester.id,
			targetAgentId: target.kind === 'agent' ? target.agentId : null,
			targetSkill: target.kind === 'skill' ? target.skill : null,
			status: 'pending' as const,
			createdAt: now,
			expiresAt: now + timeout * 1000
		};
		tx.insert(conferenceRequests).values(row).run();
		for (const a of offerees) tx.insert(conferenceOffers).values({ requestId: row.id, agentId: a.id }).run();
		const req = toRequest(row, offerees.map((a) => ({ agentId: a.id, declined: false })));
		const label = targetLabel(tx, req);
		recordAudit(tx, {
			chatId,
			actor: requester.id,
			kind: `${kind}.requested`,
			data: { requestId: row.id, target, offeredTo: offerees.map((a) => a.id), expiresAt: row.expiresAt },
			at: now
		});
		return { req, chat, label };
	});
	const topic = ctx.db.select({ name: topics.name }).from(topics).where(eq(topics.id, chat.topicId)).get()?.name ?? '';
	publishRequest(
		ctx,
		req,
		{
			chatId,
			topic,
			customerName: chat.customerName,
			requesterName: requester.name,
			request: kind,
			target: target.kind,
			...(target.kind === 'skill' ? { skill: target.skill } : {}),
			at: now,
			expiresAt: req.expiresAt
		},
		label
	);
	return { requestId: req.id, expiresAt: req.expiresAt, offeredTo: req.offers.length };
}
