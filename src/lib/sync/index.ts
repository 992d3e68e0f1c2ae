import { parseDocName } from '$lib/core/doc-name';
import { AgentDoc } from './agent-doc.svelte';
import { ChatDoc } from './chat-doc.svelte';

// One entry point for the browser's live documents: pass a README document name.
export type { AwarenessUser, ChatMeta, Offer } from '$lib/core/types';
export { AgentDoc, connectAgentDoc } from './agent-doc.svelte';
export { ChatDoc, connectChat } from './chat-doc.svelte';
export { LiveDoc, closeMessage, syncUrl, type SyncClosed, type SyncStatus } from './live-doc.svelte';

/** Connects `chat/<id>` or `agent/<id>` with its runes bindings (agent space: later work). */
export function connectDoc(name: `agent/${string}`): AgentDoc;
export function connectDoc(name: string): ChatDoc;
export function connectDoc(name: string): ChatDoc | AgentDoc {
	const ref = parseDocName(name);
	switch (ref?.kind) {
		case 'chat':
			return new ChatDoc(ref.chatId);
		case 'agent':
			return new AgentDoc(ref.agentId);
		case 'chatAgents':
		case undefined:
			throw new Error(`connectDoc: no browser binding for "${name}"`);
		default: {
			const never: never = ref;
			throw new Error(`unknown document ${String(never)}`);
		}
	}
}
