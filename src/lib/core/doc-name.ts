// The names of the documents Parley syncs (README "Live documents"): built here, and parsed
// here; anything else is not a Parley document. Their roots: ./doc-roots.ts.

export const docNames = {
	chat: (chatId: string) => `chat/${chatId}`,
	chatAgents: (chatId: string) => `chat/${chatId}/agents`,
	agent: (agentId: string) => `agent/${agentId}`
};

export type DocRef =
	| { kind: 'chat'; chatId: string }
	| { kind: 'chatAgents'; chatId: string }
	| { kind: 'agent'; agentId: string };

// An id is 1–64 of [A-Za-z0-9_-]. Regex literals, so that a page that only builds names (the
// customer's) leaves the parser out of its JavaScript.
const CHAT = /^chat\/([A-Za-z0-9_-]{1,64})$/;
const CHAT_AGENTS = /^chat\/([A-Za-z0-9_-]{1,64})\/agents$/;
const AGENT = /^agent\/([A-Za-z0-9_-]{1,64})$/;

export function parseDocName(name: string): DocRef | null {
	let m = CHAT.exec(name);
	if (m) return { kind: 'chat', chatId: m[1] };
	m = CHAT_AGENTS.exec(name);
	if (m) return { kind: 'chatAgents', chatId: m[1] };
	m = AGENT.exec(name);
	if (m) return { kind: 'agent', agentId: m[1] };
	return null;
}
