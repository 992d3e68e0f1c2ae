import { availableAgent, chatWith } from './conference';
import type { TestServer } from './server';

/** A Billing chat in conference: Ada owns it, Grace joined through the ordinary request flow. */
export async function conference(server: TestServer) {
	const { owner: ada, customer } = await chatWith(server);
	const grace = await availableAgent(server, 'grace@parley.test');
	const sent = await ada.call('POST', `/api/chats/${customer.chatId}/conference-requests`, { agentId: 'grace' });
	if (sent.status !== 201) throw new Error(`request: ${sent.status} ${sent.raw}`);
	const accepted = await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`);
	if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${accepted.raw}`);
	return { ada, grace, customer };
}
