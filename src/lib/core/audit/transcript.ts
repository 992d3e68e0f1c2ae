import type { ChatIdentity } from '../identity';
import { docNames } from '../doc-name';
import { displayMessages, isoTime, UNREADABLE, type DisplayMessage } from '../display-message';
import type { ActorRef, RequestAtMoment, TimelineEntry } from './types';

// A3: the exported transcript of one moment of a chat — as data (JSON) and as a printable
// HTML page — with the checksum of the log range it was made from.

export const TRANSCRIPT_FORMAT = 'parley.audit-transcript/1';

/** How the checksum's input is laid out, so anyone can recompute it from `doc_updates`. */
export const CHECKSUM_FRAMING =
	'SHA-256 over, for each range in order: the UTF-8 line "<doc> <fromSeq> <toSeq> <bytes>\\n", then for each update ' +
	'of the range in seq order its length as a 4-byte big-endian unsigned integer followed by its bytes';

/** One contiguous range of one document's update log. */
export interface LogRange {
	doc: string;
	fromSeq: number;
	/** fromSeq - 1 when the range is empty. */
	toSeq: number;
	updates: number;
	bytes: number;
}

export interface ChatSummary {
	id: string;
	customerId: string;
	/** The agent who accepted the chat (L2), owner of its records while present (C12). */
	originatingAgentId: string | null;
	topic: string;
	routing: string;
	/** The name given in this chat (a returning customer may give another). */
	customerName: string;
	customerEmail: string;
	/** T4: how the customer behind this chat is known; `claimed` = the email was typed without proof. */
	identity: ChatIdentity;
	status: string;
	createdAt: number;
	endedAt: number | null;
	agents: { id: string; name: string }[];
}

export interface MomentRef {
	step: number;
	of: number;
	time: number | null;
}

export interface WorkspaceExport {
	agentId: string;
	name: string;
	live: boolean;
	records: { id: string; type: string; title: string }[];
}

/** B9: a file uploaded to the chat by the moment, with the SHA-256 of its bytes (hex). */
export interface AttachmentExport {
	id: string;
	name: string;
	type: string;
	size: number;
	sha256: string;
	uploadedBy: string;
	agentsOnly: boolean;
	createdAt: number;
	referencedAt: number | null;
}

/** The JSON export (`format=json`); the HTML page renders exactly this. */
export interface TranscriptExport {
	format: typeof TRANSCRIPT_FORMAT;
	generatedAt: number;
	generatedBy: ActorRef;
	chat: ChatSummary;
	moment: MomentRef;
	/** Each document of the chat as JSON at the moment, with the seq it was rebuilt to. */
	documents: Record<string, Record<string, unknown>>;
	requests: RequestAtMoment[];
	/** C11–C13: each present agent's workspace of records at the moment. */
	workspaces: WorkspaceExport[];
	timeline: TimelineEntry[];
	/** B9: the files uploaded to the chat up to the moment (download: GET /api/chats/:id/attachments/:attachmentId). */
	attachments: AttachmentExport[];
	log: { algorithm: 'SHA-256'; checksum: string; framing: string; ranges: LogRange[] };
}

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
// Stored values may be anything (T2): only text, numbers and booleans are shown; an object (even
// one whose `toString` is not a function, which String() would throw on) shows as nothing.
const s = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');
/** A time as ISO 8601; empty for anything a Date cannot hold (T2: a stored time may be 1e300). */
const iso = (at: unknown) => isoTime(at).replace('.000Z', 'Z');
const e = (v: unknown) => escapeHtml(s(v));
/** A name, bidi-isolated: a U+202E in it cannot reorder what follows on the line. */
const name = (v: unknown) => `<bdi>${e(v)}</bdi>`;

/** One row of the conversation: an item that cannot be read says so in its place (T2). */
function messageRow(m: DisplayMessage): string {
	if (m.kind === 'unreadable') return `<tr class="notice unreadable"><td class="t"></td><td>—</td><td>${UNREADABLE}</td></tr>`;
	const from = m.kind === 'system' ? 'notice' : `${name(m.author.name)} <span class="muted">(${e(m.author.role)})</span>`;
	return `<tr${m.kind === 'system' ? ' class="notice"' : ''}><td class="t">${iso(m.at)}</td><td>${from}</td><td class="text" dir="auto">${e(m.text)}</td></tr>`;
}

function rows<T>(items: readonly T[], cells: (item: T) => string[], empty: string, cols: number): string {
	if (items.length === 0) return `<tr><td colspan="${cols}" class="muted">${escapeHtml(empty)}</td></tr>`;
	return items.map((i) => `<tr>${cells(i).map((c) => `<td>${c}</td>`).join('')}</tr>`).join('\n');
}

/** The printable page of an export. Every value is escaped; the page has no scripts. */
export function renderTranscriptHtml(x: TranscriptExport): string {
	const chatDoc = x.documents[docNames.chat(x.chat.id)] ?? {};
	const agentsDoc = x.documents[docNames.chatAgents(x.chat.id)] ?? {};
	const messages = displayMessages(chatDoc.messages);
	const participants = isRecord(chatDoc.participants) ? Object.values(chatDoc.participants).filter(isRecord) : [];
	const whispers = displayMessages(agentsDoc.whispers, 'text');
	const moment = x.moment.step === 0 ? 'before the first change' : `step ${x.moment.step} of ${x.moment.of}, ${iso(x.moment.time)}`;
	// The tab's title cannot hold markup: the name is isolated with FSI … PDI instead.
	const title = `Chat ${x.chat.id} — \u2068${s(x.chat.customerName)}\u2069 — ${moment}`;

	return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Audit transcript · ${title}`)}</title>
<style>
	:root { font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1b2430; }
	body { max-width: 60rem; margin: 2rem auto; padding: 0 1.5rem; }
	h1 { font-size: 1.4rem; margin: 0 0 .25rem; } h2 { font-size: 1.05rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid #dde2ea; padding-bottom: .25rem; }
	.muted { color: #566171; } dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: .75rem 0; } dt { font-weight: 600; } dd { margin: 0; }
	table { width: 100%; border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid #eef1f5; } th { font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #566171; }
	td.t, td.n, span.t, span.n { white-space: nowrap; font-variant-numeric: tabular-nums; } tr.notice td { color: #566171; font-style: italic; }
	.text { white-space: pre-wrap; overflow-wrap: anywhere; } code { font: 12px ui-monospace, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
	@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
</style>
</head>
<body>
<header>
<h1>Audit transcript</h1>
<p class="muted">Chat ${e(x.chat.id)} — ${name(x.chat.customerName)} — ${escapeHtml(moment)}</p>
<dl>
<dt>Chat</dt><dd><code>${e(x.chat.id)}</code></dd>
<dt>Customer</dt><dd>${name(x.chat.customerName)} &lt;${e(x.chat.customerEmail)}&gt;${x.chat.identity === 'claimed' ? ' — email not verified (typed without proof)' : ''}</dd>
<dt>Topic</dt><dd>${e(x.chat.topic)} (${e(x.chat.routing)})</dd>
<dt>Started</dt><dd>${iso(x.chat.createdAt)}</dd>
<dt>Ended</dt><dd>${x.chat.endedAt ? iso(x.chat.endedAt) : 'not ended'}</dd>
<dt>Moment</dt><dd>${escapeHtml(moment)}</dd>
<dt>Exported</dt><dd>${iso(x.generatedAt)} by ${name(x.generatedBy.name)}</dd>
</dl>
</header>

<h2>Participants at this moment</h2>
<table><thead><tr><th>Name</th><th>Role</th><th>Joined</th><th>Left</th></tr></thead><tbody>
${rows(participants, (p) => [name(p.name), e(p.role), `<span class="t">${iso(p.joinedAt)}</span>`, iso(p.leftAt)], 'nobody yet', 4)}
</tbody></table>

<h2>Conversation</h2>
<table><thead><tr><th>Time</th><th>From</th><th>Message</th></tr></thead><tbody>
${messages.length === 0 ? rows([], () => [], 'no messages yet', 3) : messages.map(messageRow).join('\n')}
</tbody></table>

<h2>Agent whispers (never shown to the customer)</h2>
<table><thead><tr><th>Time</th><th>From</th><th>Note</th></tr></thead><tbody>
${rows(whispers, (w) => (w.kind === 'unreadable' ? ['', '—', UNREADABLE] : [`<span class="t">${iso(w.at)}</span>`, name(w.author.name), `<span class="text" dir="auto">${e(w.text)}</span>`]), 'no whispers', 3)}
</tbody></table>

<h2>Conference and transfer requests</h2>
<table><thead><tr><th>Last change</th><th>Kind</th><th>Target</th><th>Status</th></tr></thead><tbody>
${rows(x.requests, (r) => [`<span class="t">${iso(r.at)}</span>`, e(r.kind), name(r.target), e(r.status)], 'none', 4)}
</tbody></table>

<h2>Agents' workspaces</h2>
<table><thead><tr><th>Agent</th><th>Records</th></tr></thead><tbody>
${rows(x.workspaces, (w) => [`${name(w.name)}${w.live ? ' <span class="muted">(owner, live)</span>' : ' <span class="muted">(as when joined)</span>'}`, w.records.length ? w.records.map((r) => `<bdi>${e(r.title)}</bdi> <span class="muted">(${e(r.type)})</span>`).join('<br>') : '<span class="muted">none</span>'], 'no agent in the chat', 2)}
</tbody></table>

<h2>Files</h2>
<table><thead><tr><th>Uploaded</th><th>Name</th><th>Type</th><th>Bytes</th><th>SHA-256</th></tr></thead><tbody>
${rows(x.attachments ?? [], (a) => [`<span class="t">${iso(a.createdAt)}</span>`, `<bdi>${e(a.name)}</bdi>${a.agentsOnly ? ' <span class="muted">(agents only)</span>' : ''}`, e(a.type), e(a.size), `<code>${e(a.sha256)}</code>`], 'no files', 5)}
</tbody></table>

<h2>Timeline up to this moment</h2>
<table><thead><tr><th>#</th><th>Time</th><th>Actor</th><th>Change</th></tr></thead><tbody>
${rows(x.timeline, (t) => [`<span class="n">${t.seq}</span>`, `<span class="t">${iso(t.at)}</span>`, `${name(t.actor.name)}${t.via === 'server' ? ' <span class="muted">via server</span>' : ''}`, `<span dir="auto">${e(t.summary)}</span>`], 'no changes yet', 4)}
</tbody></table>

<h2>Integrity</h2>
<p>Made from these ranges of the update log:</p>
<table><thead><tr><th>Document</th><th>Seq</th><th>Updates</th><th>Bytes</th></tr></thead><tbody>
${rows(x.log.ranges, (r) => [`<code>${e(r.doc)}</code>`, `${r.fromSeq}–${r.toSeq}`, String(r.updates), String(r.bytes)], 'no ranges', 4)}
</tbody></table>
<dl><dt>${escapeHtml(x.log.algorithm)}</dt><dd><code data-checksum>${e(x.log.checksum)}</code></dd></dl>
<p class="muted">${escapeHtml(x.log.framing)}.</p>
</body>
</html>
`;
}
