import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signIn } from '../helpers/api';
import { screenshots, stageForFile } from './browser';
import { hostPage, type HostSite } from './host-page';

// Issue 15: the start form (the customer page and the widget) warns, before the chat starts,
// when nobody can answer the chosen topic now: outside its business hours, or none of its agents
// available. The chat can still start (its waiting card offers to leave a message).

const stage = stageForFile();
const shot = screenshots('start-warning');

let key = '';
let shop: HostSite;
const snippet = () => `<script src="${stage().server.url}/widget.js" data-parley-key="${key}" async></script>`;

beforeAll(async () => {
	shop = await hostPage(snippet);
	const admin = await signIn(stage().server, 'admin@parley.test');
	const res = await admin.call('POST', '/api/admin/widgets', { name: 'Bike Shop', allowedOrigins: [shop.url], topics: ['billing'], greeting: 'Hi!', colour: '#0f766e' });
	if (res.status !== 201) throw new Error(`create widget: ${res.status} ${res.raw}`);
	key = res.body.widget.key;
	// Billing: closed every day. Technical: always open, but no agent is signed in yet.
	const closed = await admin.call('PUT', '/api/admin/topics/billing/hours', { hours: { timeZone: 'Europe/Berlin', days: {} } });
	if (closed.status !== 200) throw new Error(`hours: ${closed.status} ${closed.raw}`);
});
afterAll(() => shop?.server.close());

describe('[#15 B8] the start form warns when nobody can answer the topic', () => {
	it('[#15 B8] /chat: outside the hours, nobody available, then an agent comes online', async () => {
		const customer = await stage().open(390, 844, '/chat');
		const warning = customer.getByTestId('start-topic-warning');
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await warning.waitFor();
		// This server has no SMTP: the offer says where the answer will be instead of an email.
		expect(await warning.textContent()).toMatch(/^\s*Billing is outside its support hours right now\s+— leave a message, and find the answer here when you come back\.\s*$/);
		await shot(customer, 'chat-closed');

		await customer.getByTestId('start-topic').selectOption({ label: 'Technical' });
		await customer.locator('[data-testid="start-topic-warning"][data-reason="none_online"]').waitFor();
		expect(await warning.textContent()).toMatch(/Nobody is available for Technical right now\s+— leave a message, and find the answer here when you come back\./);

		// Linus (Technical) becomes available: choosing the topic again asks afresh.
		const linus = await signIn(stage().server, 'linus@parley.test');
		expect((await linus.call('PUT', '/api/agents/me/presence', { status: 'available' })).status).toBe(200);
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await customer.locator('[data-testid="start-topic-warning"][data-reason="closed"]').waitFor();
		await customer.getByTestId('start-topic').selectOption({ label: 'Technical' });
		await expect.poll(() => warning.count()).toBe(0);
		await linus.call('PUT', '/api/agents/me/presence', { status: 'offline' });

		// A warning is not a refusal: the chat starts, and its waiting card offers to leave a message.
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await customer.getByTestId('start-name').fill('Noor Late');
		await customer.getByTestId('start-email').fill('noor@example.com');
		await customer.getByTestId('start-submit').click();
		await customer.getByTestId('leave-message').getByText('Leave a message: the answer will be here when you come back to this page.').waitFor();
		await customer.context().close();
	}, 60_000);

	it('[#15 B7 B8] widget: its one topic is closed, said before the visitor starts', async () => {
		const visitor = await stage().open(1100, 760, shop.url);
		await visitor.locator('[data-parley-launcher]').click();
		const frame = visitor.frameLocator('iframe[data-parley-frame]');
		const warning = frame.locator('[data-testid="start-topic-warning"][data-reason="closed"]');
		await warning.waitFor();
		expect(await warning.textContent()).toMatch(/Billing is outside its support hours right now\s+— leave a message, and find the answer here when you come back\./);
		await shot(visitor, 'widget-closed');
		await visitor.context().close();
	}, 60_000);
});
