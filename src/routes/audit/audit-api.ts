import type { DocState } from '$lib/core/audit/apply-changes';
import type { ActorRef, RequestAtMoment, TimelineEntry } from '$lib/core/audit/types';
import type { ChatIdentity } from '$lib/core/identity';
import type { ChatSummary, MomentRef, WorkspaceExport } from '$lib/core/audit/transcript';
import { ApiError, sentence } from '$lib/sync/api';

// The auditor's read-only API (README "Auditor API"): search, timeline, state at a moment, export.

export interface ChatRow {
	id: string;
	topic: string;
	routing: string;
	customerName: string;
	customerEmail: string;
	/** T4: `claimed` = the email was typed without proof that it is this customer's. */
	identity: ChatIdentity;
	status: 'waiting' | 'active' | 'ended';
	createdAt: number;
	endedAt: number | null;
	agents: { id: string; name: string }[];
}

export interface AuditEvent {
	id: number;
	at: number;
	actor: ActorRef;
	kind: string;
	summary: string;
}

export interface StateAtMoment {
	chat: ChatSummary;
	moment: MomentRef;
	documents: Record<string, DocState & { seq: number }>;
	events: AuditEvent[];
	requests: RequestAtMoment[];
	workspaces: WorkspaceExport[];
}

export interface SearchQuery {
	email?: string;
	agent?: string;
	topic?: string;
	/** Local dates (yyyy-mm-dd) as the date inputs give them. */
	from?: string;
	to?: string;
}

async function get<T>(path: string, signal?: AbortSignal): Promise<T> {
	let res: Response;
	try {
		res = await fetch(path, { credentials: 'same-origin', signal });
	} catch (err) {
		if (err instanceof DOMException && err.name === 'AbortError') throw err;
		throw new ApiError(0, 'NETWORK', 'Cannot reach Parley. Check your connection and try again.');
	}
	const data = await res.json().catch(() => null);
	if (res.ok) return data as T;
	const e = data?.error;
	throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ? sentence(e.message) : 'Something went wrong on our side. Try again in a moment.');
}

const enc = encodeURIComponent;

/** A local calendar date as the instant its day starts (or ends) for the auditor. */
function dayEdge(date: string, end: boolean): string {
	return new Date(`${date}T${end ? '23:59:59.999' : '00:00:00'}`).toISOString();
}

export const auditApi = {
	search(q: SearchQuery, signal?: AbortSignal) {
		const params = new URLSearchParams();
		if (q.email?.trim()) params.set('email', q.email.trim());
		if (q.agent?.trim()) params.set('agent', q.agent.trim());
		if (q.topic) params.set('topic', q.topic);
		if (q.from) params.set('from', dayEdge(q.from, false));
		if (q.to) params.set('to', dayEdge(q.to, true));
		const qs = params.toString();
		return get<{ chats: ChatRow[]; truncated: boolean }>(`/api/audit/chats${qs ? `?${qs}` : ''}`, signal);
	},
	timeline: (chatId: string) => get<{ chat: ChatSummary; timeline: TimelineEntry[] }>(`/api/audit/chats/${enc(chatId)}/timeline`),
	state: (chatId: string, step: number, signal?: AbortSignal) =>
		get<StateAtMoment>(`/api/audit/chats/${enc(chatId)}/state?at=${step}`, signal),
	exportUrl: (chatId: string, step: number, format: 'json' | 'html') =>
		`/api/audit/chats/${enc(chatId)}/export?at=${step}&format=${format}`
};
