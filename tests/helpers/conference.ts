import { hashPassword } from '../../server/auth/passwords';
import { signIn, startCustomerChat } from './api';
import type { TestServer } from './server';

/** Adds agents to the organisation (test data), signed in through the real API and available. */
export async function addAgents(server: TestServer, n: number, skills: string[], prefix = 'agent') {
	const passwordHash = await hashPassword('parley-demo');
	const { db, t } = server.storage.facts;
	for (let i = 0; i < n; i++)
		await db.insert(t.users).values({
			id: `${prefix}${i}`,
			email: `${prefix}${i}@parley.test`,
			name: `${prefix[0].toUpperCase()}${prefix.slice(1)} ${i}`,
			role: 'agent',
			passwordHash,
			permissions: [],
			skills,
			capacity: 3,
			chatConfigurationId: 'default'
		});
	const clients = [];
	for (let i = 0; i < n; i++) {
		const c = await signIn(server, `${prefix}${i}@parley.test`);
		await c.call('PUT', '/api/agents/me/presence', { status: 'available' });
		clients.push(c);
	}
	return clients;
}

/** A Billing chat that `email` (an agent) has accepted; other demo agents signed in and available. */
export async function chatWith(server: TestServer, email = 'ada@parley.test') {
	const owner = await signIn(server, email);
	await owner.call('PUT', '/api/agents/me/presence', { status: 'available' });
	const customer = await startCustomerChat(server, 'Billing');
	const res = await owner.call('POST', `/api/chats/${customer.chatId}/accept`);
	if (res.status !== 200) throw new Error(`accept: ${res.status} ${res.raw}`);
	return { owner, customer };
}

export async function availableAgent(server: TestServer, email: string) {
	const a = await signIn(server, email);
	await a.call('PUT', '/api/agents/me/presence', { status: 'available' });
	return a;
}
