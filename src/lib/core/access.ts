import type { DocRef } from './doc-name';
import type { Author, ChatStatus } from './types';

// Who may sync which document, and whether they may write to it (ARCHITECTURE "Documents").
export type Who =
	| { kind: 'customer'; chatId: string }
	| { kind: 'user'; id: string; role: 'agent' | 'supervisor' | 'admin' | 'auditor' };

export interface ChatFacts {
	status: ChatStatus;
	/** Agents in the chat now (joined and not left). */
	activeAgentIds: readonly string[];
	/** B6: the chat is of one of the asking supervisor's teams (its topic's skill is one of theirs). */
	supervised?: boolean;
}

/** Who works in chats: agents, and supervisors (who also watch their teams' chats, B6). */
const staffsChats = (who: Who): who is Extract<Who, { kind: 'user' }> => who.kind === 'user' && (who.role === 'agent' || who.role === 'supervisor');
/** B6: a supervisor watching a live chat of its teams without being in it. */
const watching = (who: Who, chat: ChatFacts) => who.kind === 'user' && who.role === 'supervisor' && chat.supervised === true && chat.status !== 'ended';

export type Access = 'write' | 'read' | null;

/**
 * chat/<id>: the chat's customer and its agents now; read-only once ended.
 * chat/<id>/agents: its agents now (whispers, draft), never the customer; read-only once ended.
 * agent/<id>: that agent (or supervisor) only, read-only (the server writes offers).
 * B6: a supervisor reads the live chats of its teams and whispers in their huddles; once it
 * joins (a conference request to itself) it is an agent of the chat like any other.
 * Auditors and admins never sync: they read history through the API.
 */
export function docAccess(ref: DocRef, who: Who, chat: ChatFacts | null): Access {
	switch (ref.kind) {
		case 'chat': {
			if (!chat) return null;
			const member =
				who.kind === 'customer'
					? who.chatId === ref.chatId
					: staffsChats(who) && chat.activeAgentIds.includes(who.id);
			if (!member) return watching(who, chat) ? 'read' : null;
			return chat.status === 'ended' ? 'read' : 'write';
		}
		case 'chatAgents':
			// B2, B3: the agents in the chat write whispers and the draft (the write policy's shapes).
			// B6: a watching supervisor whispers too (the draft is for those in the chat: SyncPrincipal.draft).
			if (!chat || !staffsChats(who)) return null;
			if (!chat.activeAgentIds.includes(who.id)) return watching(who, chat) ? 'write' : null;
			return chat.status === 'ended' ? 'read' : 'write';
		case 'agent':
			return who.kind === 'user' && staffsChats(who) && who.id === ref.agentId ? 'read' : null;
		default: {
			const never: never = ref;
			throw new Error(`unknown document ${JSON.stringify(never)}`);
		}
	}
}

/**
 * Who a sync connection speaks for, as the gateway needs it (the hook that main wires to the
 * services decides it; the gateway knows nothing of sessions or tokens).
 */
export interface SyncPrincipal {
	/** How its messages are signed (the write policy compares against it). */
	author: Author;
	/** Who its updates are logged as. */
	actor: string;
	/** Whose connection and message budgets it uses: its session, or its customer's chat token. */
	holder: string;
	/** A staff session (checked again while the socket is open), or null for a customer token. */
	sessionId: string | null;
	/** B3: may edit the shared draft of `chat/<id>/agents` (an agent; not a watching supervisor). */
	draft?: boolean;
}

/** The answer to "may this request open this document?": how, or why not. */
export type SyncAdmission =
	| { ok: true; principal: SyncPrincipal; mode: 'read' | 'write' }
	| { ok: false; why: 'not-signed-in' | 'forbidden' };
