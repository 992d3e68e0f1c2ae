// A1–A3: the plain shapes of an auditor's view of a chat. No I/O, no yjs: the server decodes
// Yjs updates into DocChange values and the core describes, orders and renders them.

/** Who made a change or took a decision, resolved from the logged actor id. */
export interface ActorRef {
	id: string;
	name: string;
	role: 'customer' | 'agent' | 'supervisor' | 'admin' | 'auditor' | 'system';
}

/** One visible effect of one logged update on one root type of a document. */
export type DocChange =
	| { root: string; op: 'insert'; index: number; values: unknown[] }
	| { root: string; op: 'remove'; index: number; count: number; values: unknown[] }
	| { root: string; op: 'set'; key: string; value: unknown; old?: unknown; existed: boolean }
	| { root: string; op: 'unset'; key: string; old: unknown }
	| { root: string; op: 'text'; delta: TextOp[] };

/** One step of a text change, as Yjs reports it. */
export type TextOp = { retain: number } | { insert: string } | { delete: number };

/** Which document of a chat an update belongs to. */
export type ChatDocKind = 'chat' | 'chatAgents';

/** Ids touched by a change, so a replay view can highlight them. */
export interface ChangeRefs {
	messages?: string[];
	participants?: string[];
	whispers?: string[];
}

/** A decision of the authority as stored in `audit_events`. */
export interface AuditEventRow {
	id: number;
	chatId: string | null;
	actor: string;
	kind: string;
	data: Record<string, unknown>;
	at: number;
}

/** Where a timeline step comes from: one logged update of a document, or one audit event. */
export type TimelineSource =
	| { source: 'doc'; doc: string; docSeq: number; at: number }
	| { source: 'authority'; auditId: number; at: number };

/** One step of a chat's timeline (README "Auditor API"). */
export interface TimelineEntry {
	/** 1-based position in the chat's timeline; `at=<seq>` replays up to and including it. */
	seq: number;
	/** Milliseconds since the epoch. */
	at: number;
	actor: ActorRef;
	/** `chat/<id>` or `chat/<id>/agents` for a document change, null for an authority decision. */
	doc: string | null;
	/** The update's seq in its document's log (doc changes only). */
	docSeq: number | null;
	/** The audit event's id (authority decisions only). */
	auditId: number | null;
	/** How a document change was written: by a client as itself, or by the server. */
	via: 'client' | 'server' | null;
	kind: string;
	summary: string;
	refs?: ChangeRefs;
}

/** The state of a conference request as of a moment, derived from audit events (C15). */
export interface RequestAtMoment {
	requestId: string;
	kind: 'conference' | 'transfer';
	requesterId: string;
	target: string;
	status: 'pending' | 'accepted' | 'declined' | 'cancelled' | 'expired' | 'withdrawn';
	at: number;
}
