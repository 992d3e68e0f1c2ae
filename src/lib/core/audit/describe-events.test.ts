import { describe, expect, it } from 'vitest';
import { describeAuditEvents, requestsAt } from './describe-events';
import type { AuditEventRow } from './types';

const names: Record<string, string> = { ada: 'Ada', grace: 'Grace', linus: 'Linus', c1: 'Pat', admin: 'Admin' };
const nameOf = (id: string) => names[id] ?? id;
let id = 0;
const ev = (actor: string, kind: string, data: Record<string, unknown> = {}, at = ++id): AuditEventRow => ({ id: at, chatId: 'x', actor, kind, data, at });

describe('authority decisions in words (A1)', () => {
	const events = [
		ev('c1', 'chat.started', { topic: 'Billing' }),
		ev('ada', 'chat.accepted'),
		ev('ada', 'conference.requested', { requestId: 'r1', target: { kind: 'agent', agentId: 'grace' }, offeredTo: ['grace'] }),
		ev('grace', 'conference.accepted', { requestId: 'r1' }),
		ev('ada', 'conference.requested', { requestId: 'r2', target: { kind: 'skill', skill: 'tech' }, offeredTo: ['linus', 'x'] }),
		ev('linus', 'conference.declined', { requestId: 'r2', requestDeclined: false }),
		ev('ada', 'conference.withdrawn', { requestId: 'r2', reason: 'chat_ended' }),
		ev('ada', 'conference.requested', { requestId: 'r3', target: { kind: 'agent', agentId: 'linus' } }),
		ev('ada', 'conference.cancelled', { requestId: 'r3' }),
		ev('ada', 'conference.requested', { requestId: 'r4', target: { kind: 'agent', agentId: 'linus' } }),
		ev('server', 'conference.expired', { requestId: 'r4' }),
		ev('grace', 'chat.left'),
		ev('admin', 'configuration.updated', {
			id: 'default',
			before: { name: 'Default', conferenceEnabled: true, requestTimeoutSec: 60, agents: [{ id: 'ada' }] },
			after: { name: 'Default', conferenceEnabled: false, requestTimeoutSec: 30, agents: [{ id: 'ada' }, { id: 'grace' }] }
		}),
		ev('ada', 'record.attached', { recordId: 'rec1', title: 'Case 1042' }),
		ev('ada', 'record.removed', { recordId: 'rec1' }),
		ev('ada', 'transfer.requested', { requestId: 't1', target: { kind: 'agent', agentId: 'linus' } }),
		ev('linus', 'transfer.accepted', { requestId: 't1' }),
		ev('ada', 'chat.transferred'),
		ev('linus', 'chat.ended'),
		ev('ada', 'something.new', {})
	];

	it('[A1] each event names its actor and what it decided, outcomes name their request', () => {
		expect(describeAuditEvents(events, nameOf).map((d) => d.summary)).toEqual([
			'Pat started the chat about Billing',
			'Ada accepted the chat',
			'Ada asked Grace to join the conference',
			"Grace accepted Ada's conference request",
			'Ada asked all agents with tech to join the conference (offered to 2)',
			"Linus declined Ada's conference request to all agents with tech (still open for others)",
"Ada's conference request to all agents with tech was withdrawn (the chat ended)",
			'Ada asked Linus to join the conference',
			'Ada cancelled the request to Linus',
			'Ada asked Linus to join the conference',
			"Ada's conference request to Linus expired",
			'Grace left the chat',
			'Admin changed chat configuration Default: Enable Chat Conference off, request timeout 30 s, assigned Grace',
			'Ada attached record “Case 1042”',
			'Ada removed record “Case 1042”',
			'Ada asked to transfer the chat to Linus',
			"Linus accepted Ada's transfer request",
			'Ada handed the chat over and left',
			'Linus ended the chat',
			'Ada something new'
		]);
	});

	it('[T4] a chat started by typing an email in use says so where it starts', () => {
		const started = (identity: string) => describeAuditEvents([ev('c1', 'chat.started', { topic: 'Billing', identity })], nameOf)[0].summary;
		expect(started('claimed')).toBe('Pat started the chat about Billing (email not verified)');
		expect(started('token')).toBe('Pat started the chat about Billing');
		expect(started('new')).toBe('Pat started the chat about Billing');
	});

	it('[C15] requests as they stood at a moment', () => {
		expect(requestsAt(events.slice(0, 3), nameOf)).toEqual([{ requestId: 'r1', kind: 'conference', requesterId: 'ada', target: 'Grace', status: 'pending', at: events[2].at }]);
		const later = requestsAt(events, nameOf).map((r) => [r.requestId, r.status]);
		expect(later).toEqual([['r1', 'accepted'], ['r2', 'withdrawn'], ['r3', 'cancelled'], ['r4', 'expired'], ['t1', 'accepted']]);
		// A decline that leaves others still offered keeps the request pending.
		expect(requestsAt(events.slice(0, 6), nameOf).find((r) => r.requestId === 'r2')?.status).toBe('pending');
	});
});

describe('[B9] uploads in the audit', () => {
	it('[B9][A1] an upload names who, the file, its type, size and SHA-256, and agents-only', () => {
		const sha = 'ab'.repeat(32);
		const said = describeAuditEvents(
			[
				ev('c1', 'attachment.uploaded', { attachmentId: 'f1', name: 'screen.png', type: 'image/png', size: 48213, sha256: sha, agentsOnly: false }),
				ev('ada', 'attachment.uploaded', { attachmentId: 'f2', name: 'notes.txt', type: 'text/plain; charset=utf-8', size: 12, sha256: sha, agentsOnly: true }),
				ev('ada', 'attachment.uploaded', { name: 42 })
			],
			nameOf
		).map((d) => d.summary);
		expect(said).toEqual([
			`Pat uploaded “screen.png” (image/png, 48,213 bytes, SHA-256 ${sha})`,
			`Ada uploaded “notes.txt” (text/plain; charset=utf-8, 12 bytes, SHA-256 ${sha}) for agents only`,
			'Ada uploaded a file'
		]);
	});
});

describe('[B8] nobody left hanging, in words', () => {
	it('a left message, mailed replies, a rating (with the customer’s comment as it is) and a mailed transcript', () => {
		const said = describeAuditEvents(
			[
				ev('c1', 'chat.message_left', { length: 12 }),
				ev('server', 'chat.reply_mailed', { replies: 1 }),
				ev('server', 'chat.reply_mailed', { replies: 2 }),
				ev('c1', 'chat.rated', { score: 4, comment: 'Quick <b>and</b> kind' }),
				ev('c1', 'chat.rated', { score: 2, comment: '' }),
				ev('c1', 'chat.transcript_mailed')
			],
			nameOf
		).map((e) => e.summary);
		expect(said).toEqual([
			'Pat left a message to be answered later',
			'server emailed 1 agent reply to the customer',
			'server emailed 2 agent replies to the customer',
			'Pat rated the chat 4 of 5: “Quick <b>and</b> kind”',
			'Pat rated the chat 2 of 5',
			'Pat had the transcript emailed'
		]);
	});
});
