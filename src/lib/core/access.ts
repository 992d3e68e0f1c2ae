import type { DocRef } from './doc-name';
import type { ChatStatus } from './types';

// Who may sync which document, and whether they may write to it (ARCHITECTURE "Documents").
export type Who =
	| { kind: 'customer'; chatId: string }
	| { kind: 'user'; id: string; role: 'agent' | 'admin' | 'auditor' };

export interface ChatFacts {
	status: ChatStatus;
	/** Agents in the chat now (joined and not left). */
	activeAgentIds: readonly string[];
}

export type Access = 'write' | 'read' | null;

/**
 * chat/<id>: the chat's customer and its agents now; read-only once ended.
 * chat/<id>/agents: its agents now, never the customer.
 * agent/<id>: that agent only, read-only (the server writes offers).
 * Auditors and admins never sync: they read history through the API.
 */
export function docAccess(ref: DocRef, who: Who, chat: ChatFacts | null): Access {
	switch (ref.kind) {
		case 'chat': {
			if (!chat) return null;
			const member =
				who.kind === 'customer'
					? who.chatId === ref.chatId
					: who.role === 'agent' && chat.activeAgentIds.includes(who.id);
			if (!member) return null;
			return chat.status === 'ended' ? 'read' : 'write';
		}
		case 'chatAgents':
			if (!chat || who.kind !== 'user' || who.role !== 'agent') return null;
			return chat.activeAgentIds.includes(who.id) ? 'read' : null;
		case 'agent':
			return who.kind === 'user' && who.role === 'agent' && who.id === ref.agentId ? 'read' : null;
		default: {
			const never: never = ref;
			throw new Error(`unknown document ${JSON.stringify(never)}`);
		}
	}
}
