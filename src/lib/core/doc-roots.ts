// The root types of each document Parley syncs (README "Live documents"): their names, the Yjs
// type of each, and the shape of the values in them. One list for the server (which creates and
// writes them), the browser (which reads them and appends its messages) and the audit (which
// describes and replays them). Import it as a namespace, `import * as ROOT from
// '$lib/core/doc-roots'`, and write `ROOT.MESSAGES`: plain exported constants let the bundler put
// the bare string in the browser's code.
import type { DocRef } from './doc-name';
import type { AgentConfig, AssignedChat, Banner, ChatMessage, ChatMeta, Offer, Participant, SentRequest, Whisper } from './types';

// chat/<chatId>
/** Y.Array of ChatMessage: clients append their own text messages, the server its notices. */
export const MESSAGES = 'messages';
/** Y.Map of Participant, keyed by user id; the server's. */
export const PARTICIPANTS = 'participants';
/** Y.Map of ChatMeta's fields (status, topic, routing); the server's. */
export const META = 'meta';

// chat/<chatId>/agents
/** Y.Array of Whisper: agents' notes (B2), appended by their writers like messages. */
export const WHISPERS = 'whispers';
/** Y.Text: the reply the agents draft together (B3), plain text only. */
export const DRAFT = 'draft';

// agent/<agentId>, all the server's
/** Y.Map of Offer, keyed by offer id (a chat's id, or a request's). */
export const OFFERS = 'offers';
/** Y.Map of AssignedChat, keyed by chat id: the chats the agent is in now. */
export const CHATS = 'chats';
/** Y.Map of SentRequest, keyed by request id: the requests the agent sent, still pending. */
export const REQUESTS = 'requests';
/** Y.Map of Banner, keyed by banner id. */
export const BANNERS = 'banners';
/** Y.Map of AgentConfig's fields: the agent's chat configuration now (issue 16). */
export const CONFIG = 'config';

/** What each document holds, as its JSON (`doc.toJSON()`): every root and its values. */
export interface DocShapes {
	chat: { messages: ChatMessage[]; participants: Record<string, Participant>; meta: ChatMeta };
	chatAgents: { whispers: Whisper[]; draft: string };
	agent: {
		offers: Record<string, Offer>;
		chats: Record<string, AssignedChat>;
		requests: Record<string, SentRequest>;
		banners: Record<string, Banner>;
		config: Partial<AgentConfig>;
	};
}

export type RootType = 'array' | 'map' | 'text';

/**
 * Each document kind's roots and their Yjs types, exactly the keys of DocShapes. The server
 * creates them all before it applies any client update, so an update can never create one as
 * the wrong type (SYNC-NOTES).
 */
export const DOC_ROOTS = {
	chat: { [MESSAGES]: 'array', [PARTICIPANTS]: 'map', [META]: 'map' },
	chatAgents: { [WHISPERS]: 'array', [DRAFT]: 'text' },
	agent: { [OFFERS]: 'map', [CHATS]: 'map', [BANNERS]: 'map', [REQUESTS]: 'map', [CONFIG]: 'map' }
} as const satisfies { [K in DocRef['kind']]: Record<keyof DocShapes[K], RootType> };

/** The root names of one document kind. */
export type RootName<K extends DocRef['kind'] = DocRef['kind']> = keyof DocShapes[K] & string;

/** A Y.Doc as far as createRoots needs it (structural: the core imports no yjs). */
export interface RootMaker {
	getArray(name: string): unknown;
	getMap(name: string): unknown;
	getText(name: string): unknown;
}

/** Creates every root of a document of this kind, in DOC_ROOTS order, as its Yjs type. */
export function createRoots(doc: RootMaker, kind: DocRef['kind']): void {
	for (const [name, type] of Object.entries(DOC_ROOTS[kind])) {
		if (type === 'array') doc.getArray(name);
		else if (type === 'text') doc.getText(name);
		else doc.getMap(name);
	}
}
