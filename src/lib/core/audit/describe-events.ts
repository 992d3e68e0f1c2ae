import type { AuditEventRow, RequestAtMoment } from './types';

// A1/A2: decisions of the authority in words, and the conference requests (C15) as they stood
// at a moment. Events are read in order: an outcome names the request it closes.

type NameOf = (id: string) => string;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "Grace" for an agent target, "all agents with billing" for a skill target. */
function targetLabel(target: unknown, nameOf: NameOf): string {
	if (!isRecord(target)) return 'someone';
	if (target.kind === 'agent' && typeof target.agentId === 'string') return nameOf(target.agentId);
	if (target.kind === 'skill' && typeof target.skill === 'string') return `all agents with ${target.skill}`;
	return 'someone';
}

const REASONS: Record<string, string> = {
	another_agent_won: 'another agent accepted first',
	requester_left: 'the requester left',
	chat_ended: 'the chat ended'
};

function configurationChange(data: Record<string, unknown>, nameOf: NameOf): string {
	const before = isRecord(data.before) ? data.before : {};
	const after = isRecord(data.after) ? data.after : {};
	const name = typeof after.name === 'string' ? after.name : String(data.id ?? '?');
	const parts: string[] = [];
	if (before.conferenceEnabled !== after.conferenceEnabled)
		parts.push(`Enable Chat Conference ${after.conferenceEnabled ? 'on' : 'off'}`);
	if (before.requestTimeoutSec !== after.requestTimeoutSec) parts.push(`request timeout ${String(after.requestTimeoutSec)} s`);
	const ids = (v: unknown) =>
		new Set(Array.isArray(v) ? v.map((a) => (isRecord(a) && typeof a.id === 'string' ? a.id : '')).filter(Boolean) : []);
	const was = ids(before.agents);
	const now = ids(after.agents);
	const added = [...now].filter((a) => !was.has(a)).map(nameOf);
	const removed = [...was].filter((a) => !now.has(a)).map(nameOf);
	if (added.length) parts.push(`assigned ${added.join(', ')}`);
	if (removed.length) parts.push(`unassigned ${removed.join(', ')}`);
	return `changed chat configuration ${name}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/** B9: `uploaded “invoice.pdf” (application/pdf, 48,213 bytes, SHA-256 9f2c…) for agents only`. */
function uploaded(d: Record<string, unknown>): string {
	const name = typeof d.name === 'string' ? `“${d.name}”` : 'a file';
	const facts = [typeof d.type === 'string' ? d.type : null, typeof d.size === 'number' ? `${d.size.toLocaleString('en-US')} bytes` : null, typeof d.sha256 === 'string' ? `SHA-256 ${d.sha256}` : null];
	const known = facts.filter((f) => f !== null);
	return `uploaded ${name}${known.length ? ` (${known.join(', ')})` : ''}${d.agentsOnly === true ? ' for agents only' : ''}`;
}

/** Describes each audit event (same order as given) as "<actor> <did what>". */
export function describeAuditEvents(events: readonly AuditEventRow[], nameOf: NameOf): { kind: string; summary: string }[] {
	const requests = new Map<string, { requester: string; target: string; skill: boolean }>();
	const titles = new Map<string, string>();
	return events.map((e) => {
		const who = nameOf(e.actor);
		const d = e.data ?? {};
		// Conference (C2–C5, C15) and transfer (L4) requests share one life cycle.
		const family = e.kind.startsWith('transfer.') ? 'transfer' : 'conference';
		const kind = e.kind.replace(/^transfer\./, 'conference.');
		const req = typeof d.requestId === 'string' ? requests.get(d.requestId) : undefined;
		// "Ada's conference request" to its one target; "Ada's request to all agents with tech".
		const theirs = req ? `${req.requester}'s ${req.skill ? `${family} request to ${req.target}` : `${family} request`}` : `a ${family} request`;
		const toTarget = req ? `${req.requester}'s ${family} request to ${req.target}` : `A ${family} request`;
		const record = typeof d.recordId === 'string' ? `record “${typeof d.title === 'string' ? d.title : (titles.get(d.recordId) ?? d.recordId)}”` : 'a record';
		if (e.kind === 'record.attached' && typeof d.recordId === 'string' && typeof d.title === 'string') titles.set(d.recordId, d.title);
		let text: string;
		switch (kind) {
			case 'chat.started':
				text = `started the chat${typeof d.topic === 'string' ? ` about ${d.topic}` : ''}${d.identity === 'claimed' ? ' (email not verified)' : ''}`;
				break;
			case 'chat.accepted':
				text = 'accepted the chat';
				break;
			case 'chat.declined':
				text = 'declined the chat offer';
				break;
			case 'chat.ended':
				text = 'ended the chat';
				break;
			case 'chat.left':
				text = 'left the chat';
				break;
			case 'chat.transferred':
				text = 'handed the chat over and left';
				break;
			case 'record.attached':
				text = `attached ${record}`;
				break;
			case 'record.removed':
				text = `removed ${record}`;
				break;
			case 'conference.requested': {
				const target = targetLabel(d.target, nameOf);
				if (typeof d.requestId === 'string') requests.set(d.requestId, { requester: who, target, skill: isRecord(d.target) && d.target.kind === 'skill' });
				const offered = Array.isArray(d.offeredTo) ? d.offeredTo.length : null;
				text = `${family === 'transfer' ? `asked to transfer the chat to ${target}` : `asked ${target} to join the conference`}${offered !== null && isRecord(d.target) && d.target.kind === 'skill' ? ` (offered to ${offered})` : ''}`;
				break;
			}
			case 'conference.accepted':
				text = `accepted ${theirs}`;
				break;
			case 'conference.declined':
				text = `declined ${theirs}${d.requestDeclined === false ? ' (still open for others)' : ''}`;
				break;
			case 'conference.cancelled':
				text = `cancelled ${req ? `the request to ${req.target}` : 'a conference request'}`;
				break;
			case 'conference.expired':
				text = `${toTarget} expired`;
				break;
			case 'conference.withdrawn':
				text = `${toTarget} was withdrawn${typeof d.reason === 'string' ? ` (${REASONS[d.reason] ?? d.reason})` : ''}`;
				break;
			case 'configuration.updated':
				text = configurationChange(d, nameOf);
				break;
			case 'attachment.uploaded':
				text = uploaded(d);
				break;
			// B8: nobody left hanging.
			case 'chat.message_left':
				text = 'left a message to be answered later';
				break;
			case 'chat.reply_mailed':
				text = `emailed ${typeof d.replies === 'number' ? d.replies : 'the'} agent repl${d.replies === 1 ? 'y' : 'ies'} to the customer`;
				break;
			case 'chat.reply_mail_refused':
				text = "could not email the agent's reply: the customer's mail server refused it";
				break;
			case 'chat.transcript_mailed':
				text = 'had the transcript emailed';
				break;
			case 'chat.rated':
				text = `rated the chat ${typeof d.score === 'number' ? `${d.score} of 5` : ''}${typeof d.comment === 'string' && d.comment ? `: “${d.comment}”` : ''}`;
				break;
			default:
				text = `${e.kind.replace(/[._]/g, ' ')}`;
		}
		// Expiry and withdrawal happen to a request: the sentence names it, the actor field says who.
		const summary = kind === 'conference.expired' || kind === 'conference.withdrawn' ? text : `${who} ${text}`;
		return { kind: e.kind, summary };
	});
}

const OUTCOMES = new Set(['accepted', 'cancelled', 'expired', 'withdrawn']);

/** C15/L4: each conference or transfer request of the chat and its status after the given events. */
export function requestsAt(events: readonly AuditEventRow[], nameOf: NameOf): RequestAtMoment[] {
	const out = new Map<string, RequestAtMoment>();
	for (const e of events) {
		const d = e.data ?? {};
		const m = /^(conference|transfer)\.(\w+)$/.exec(e.kind);
		if (typeof d.requestId !== 'string' || !m) continue;
		const status = m[2];
		if (status === 'requested') {
			out.set(d.requestId, { requestId: d.requestId, kind: m[1] as RequestAtMoment['kind'], requesterId: e.actor, target: targetLabel(d.target, nameOf), status: 'pending', at: e.at });
			continue;
		}
		const r = out.get(d.requestId);
		if (!r) continue;
		if (OUTCOMES.has(status)) out.set(d.requestId, { ...r, status: status as RequestAtMoment['status'], at: e.at });
		else if (status === 'declined' && d.requestDeclined !== false) out.set(d.requestId, { ...r, status: 'declined', at: e.at });
	}
	return [...out.values()];
}
