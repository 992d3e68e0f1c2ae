import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { isEmpty, seedDemo } from '../../server/db/seed';
import { createSession, sessionLifetimeMs } from '../../server/auth/sessions';
import type { OpenedStorage } from '../../server/storage/open';
import type { Author } from '../../src/lib/core/types';
import { ApiClient } from '../helpers/api';
import { eventually } from '../helpers/server';

// The people of a chaos run: one agent per chat (seeded with a session before any server runs),
// the chats they accepted, and real y-websocket clients in each.

export interface ChaosAgent {
	author: Author;
	token: string;
}

export interface ChaosClient {
	chat: string;
	doc: Y.Doc;
	provider: WebsocketProvider;
	author: Author;
	/** Permanent closes (44xx) with their reasons: each would be a refused honest update. */
	refusals: string[];
}

export const messageIds = (doc: Y.Doc) => doc.getArray<{ id: string }>('messages').toArray().map((m) => m.id);

/** Demo seed (if empty), and one available agent with a session per chat. */
export async function seedChaosAgents(storage: OpenedStorage, chats: number): Promise<ChaosAgent[]> {
	const facts = storage.port.facts;
	if (await isEmpty(facts)) await seedDemo(facts, storage.port.log);
	const agents: ChaosAgent[] = [];
	for (let i = 0; i < chats; i++) {
		const id = `chaos-agent-${i}`;
		await facts.db
			.insert(facts.t.users)
			.values({ id, email: `${id}@parley.test`, name: `Chaos ${i}`, role: 'agent', passwordHash: 'x', permissions: [], skills: ['tech'], capacity: 5, chatConfigurationId: 'default', presence: 'available' });
		agents.push({ author: { id, role: 'agent', name: `Chaos ${i}` }, token: (await createSession(facts, id, Date.now(), sessionLifetimeMs())).token });
	}
	return agents;
}

/** A client of `chat` at `base`; `onConnected` hears each (re)connection. */
export function connectClient(base: string, chat: string, token: string, author: Author, onConnected?: () => void): ChaosClient {
	const doc = new Y.Doc();
	doc.getArray('messages');
	const provider = new WebsocketProvider(`${base.replace(/^http/, 'ws')}/sync`, chat, doc, {
		WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params: { token },
		maxBackoffTime: 300
	});
	const client: ChaosClient = { chat, doc, provider, author, refusals: [] };
	if (onConnected) provider.on('status', (e: { status: string }) => e.status === 'connected' && onConnected());
	provider.on('connection-close', (event: CloseEvent | null) => {
		if (event && event.code >= 4400 && event.code < 4500) client.refusals.push(`${chat} ${author.id}: ${event.code} ${event.reason}`);
	});
	return client;
}

export function dropClient(client: ChaosClient): void {
	client.provider.destroy();
	client.doc.destroy();
}

/**
 * One chat per agent through the API at `base`, accepted by its agent; the agent's client and
 * `clientsPerChat - 1` customer devices in each (pushed to `clients` as they come, so a failure
 * half-way still cleans them up). Resolves once all are synced.
 */
export async function openChaosChats(base: string, agents: ChaosAgent[], clientsPerChat: number, clients: ChaosClient[], onConnected?: () => void): Promise<void> {
	for (let i = 0; i < agents.length; i++) {
		const customer = new ApiClient(base);
		const res = await customer.call('POST', '/api/chats', { name: `Customer ${i}`, email: `chaos${i}@example.com`, topic: 'Technical' });
		if (res.status !== 201) throw new Error(`start chat: ${res.status} ${res.raw}`);
		const agentApi = new ApiClient(base);
		agentApi.cookies.set('parley_session', agents[i].token);
		const accepted = await agentApi.call('POST', `/api/chats/${res.body.chatId}/accept`);
		if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.raw}`);
		const chat = `chat/${res.body.chatId}`;
		clients.push(connectClient(base, chat, agents[i].token, agents[i].author, onConnected));
		for (let d = 1; d < clientsPerChat; d++) clients.push(connectClient(base, chat, res.body.token, res.body.customer, onConnected));
	}
	await eventually(() => {
		if (!clients.every((c) => c.provider.synced)) throw new Error('clients not synced');
	}, 30_000);
}

/** A server's live message ids, through a fresh client. */
export async function serverIds(base: string, chat: string, token: string): Promise<string[]> {
	const verifier = connectClient(base, chat, token, { id: 'verifier', role: 'agent', name: 'Verifier' });
	try {
		await eventually(() => {
			if (!verifier.provider.synced) throw new Error('verifier not synced');
		}, 5000);
		return messageIds(verifier.doc);
	} finally {
		dropClient(verifier);
	}
}
