// Parses a sync document name; anything else is not a Parley document.
export type DocRef =
	| { kind: 'chat'; chatId: string }
	| { kind: 'chatAgents'; chatId: string }
	| { kind: 'agent'; agentId: string };

const ID = '[A-Za-z0-9_-]{1,64}';
const CHAT = new RegExp(`^chat/(${ID})$`);
const CHAT_AGENTS = new RegExp(`^chat/(${ID})/agents$`);
const AGENT = new RegExp(`^agent/(${ID})$`);

export function parseDocName(name: string): DocRef | null {
	let m = CHAT.exec(name);
	if (m) return { kind: 'chat', chatId: m[1] };
	m = CHAT_AGENTS.exec(name);
	if (m) return { kind: 'chatAgents', chatId: m[1] };
	m = AGENT.exec(name);
	if (m) return { kind: 'agent', agentId: m[1] };
	return null;
}
