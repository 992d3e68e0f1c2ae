import type { Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { say, screenshots, stageForFile, startCustomerChat } from './browser';

// Issue 16, "nothing lost", in Chromium: drafts per chat, wrap-up of an ended chat, message
// states, and the console through an outage. Screenshots: test-results/day-lost-*.

const stage = stageForFile();
const shot = screenshots('day-lost');

const chatItem = (page: Page, name: string) => page.getByTestId('chat-item').filter({ hasText: name });
const heading = (page: Page, name: string) => page.getByTestId('conversation').getByRole('heading', { name }).waitFor();

/** An agent's console whose live connections the test can cut (`net.down()`) and restore. */
async function agentWithSwitch(email: string) {
	const context = await stage().browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: stage().server.url });
	let offline = false;
	const open: WebSocketRoute[] = [];
	const page = await context.newPage();
	page.setDefaultTimeout(15_000);
	await page.routeWebSocket(/\/sync\//, (ws) => {
		if (offline) return void ws.close();
		open.push(ws, ws.connectToServer());
	});
	await page.goto('/agent');
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	await page.getByTestId('presence-available').click();
	await page.locator('[data-testid="presence-available"][aria-pressed="true"]').waitFor();
	const net = {
		async down() {
			offline = true;
			for (const ws of open.splice(0)) await ws.close();
		},
		up: () => void (offline = false)
	};
	return { page, net };
}

async function acceptChat(agent: Page, name: string) {
	const customer = await startCustomerChat(stage(), name, 'Billing');
	await agent.getByTestId('offer').filter({ hasText: name }).getByTestId('offer-accept').click();
	await chatItem(agent, name).waitFor();
	return customer;
}

/** Ends each chat from the customer's side and closes the pages (the agents' load drops back). */
async function done(agent: Page, customers: Page[]) {
	for (const c of customers) {
		await c.getByTestId('end-chat').click();
		await c.getByTestId('confirm-end').click();
		await c.getByTestId('chat-ended').waitFor();
	}
	await Promise.all([agent, ...customers].map((p) => p.context().close()));
}

describe('issue 16: nothing lost', () => {
	it('[#16 drafts] an unsent reply is kept per chat across switches and a reload, and cleared on send; the customer’s too', async () => {
		const { page: ada } = await agentWithSwitch('ada@parley.test');
		const pat = await acceptChat(ada, 'Pat Draft');
		const quinn = await acceptChat(ada, 'Quinn Draft');

		await chatItem(ada, 'Pat Draft').click();
		await heading(ada, 'Pat Draft');
		await ada.getByTestId('composer').fill('Half a reply for Pat');
		await chatItem(ada, 'Quinn Draft').click();
		await heading(ada, 'Quinn Draft');
		expect(await ada.getByTestId('composer').inputValue()).toBe('');
		await ada.getByTestId('composer').fill('Another for Quinn');
		await chatItem(ada, 'Pat Draft').click();
		await heading(ada, 'Pat Draft');
		expect(await ada.getByTestId('composer').inputValue()).toBe('Half a reply for Pat');

		await ada.reload();
		await chatItem(ada, 'Pat Draft').click();
		await heading(ada, 'Pat Draft');
		await expect.poll(() => ada.getByTestId('composer').inputValue()).toBe('Half a reply for Pat');
		await shot(ada, 'draft-after-reload');
		await ada.getByTestId('composer').press('Enter');
		await pat.getByTestId('message').filter({ hasText: 'Half a reply for Pat' }).waitFor();
		await ada.reload();
		await chatItem(ada, 'Pat Draft').click();
		await heading(ada, 'Pat Draft');
		await ada.getByTestId('message').filter({ hasText: 'Half a reply for Pat' }).waitFor();
		expect(await ada.getByTestId('composer').inputValue()).toBe('');
		await chatItem(ada, 'Quinn Draft').click();
		await heading(ada, 'Quinn Draft');
		expect(await ada.getByTestId('composer').inputValue()).toBe('Another for Quinn');

		// The customer's unsent text survives a reload of the chat page too.
		await pat.getByTestId('composer').fill('A question I had not sent');
		await pat.reload();
		await pat.getByTestId('chat-view').waitFor();
		await expect.poll(() => pat.getByTestId('composer').inputValue()).toBe('A question I had not sent');
		await shot(pat, 'customer-draft-after-reload');
		await done(ada, [pat, quinn]);
	}, 90_000);

	it('[#16 wrap-up] a chat the customer ends stays open read-only, no yank to another chat, until the agent closes it', async () => {
		const { page: ada } = await agentWithSwitch('ada@parley.test');
		const pat = await acceptChat(ada, 'Pat Wrapup');
		const quinn = await acceptChat(ada, 'Quinn Wrapup');
		await chatItem(ada, 'Pat Wrapup').click();
		await heading(ada, 'Pat Wrapup');
		await ada.getByTestId('composer').fill('I was in the middle of');

		await pat.getByTestId('end-chat').click();
		await pat.getByTestId('confirm-end').click();
		await ada.getByTestId('conversation-ended').waitFor();
		await heading(ada, 'Pat Wrapup');
		await chatItem(ada, 'Pat Wrapup').getByTestId('chat-ended-tag').waitFor();
		expect(await ada.getByTestId('toast').count()).toBe(0);
		await shot(ada, 'wrap-up');

		// A reload keeps it there, still read-only, until Ada closes it.
		await ada.reload();
		await chatItem(ada, 'Pat Wrapup').getByTestId('chat-ended-tag').waitFor();
		await chatItem(ada, 'Pat Wrapup').click();
		await ada.getByTestId('conversation-ended').waitFor();
		await heading(ada, 'Pat Wrapup');

		await ada.getByTestId('wrapup-close').click();
		await chatItem(ada, 'Pat Wrapup').waitFor({ state: 'detached' });
		await heading(ada, 'Quinn Wrapup');
		await done(ada, [quinn]);
		await pat.context().close();
	}, 90_000);

	it('[#16 outage] offline, the console keeps everything, pauses its actions with the reason, one indicator; messages show their state on both sides', async () => {
		const { page: ada, net } = await agentWithSwitch('ada@parley.test');
		const pat = await acceptChat(ada, 'Pat Outage');
		await ada.getByTestId('end-conversation').waitFor();
		await say(ada, 'Hello from Ada');
		await ada.locator('[data-testid="message-state"][data-state="sent"]').waitFor();
		await say(pat, 'Hello from Pat');
		await pat.locator('[data-testid="message-state"][data-state="sent"]').waitFor();

		await net.down();
		const indicator = ada.getByTestId('connection-indicator');
		await indicator.getByText('Offline, reconnecting. Actions are paused').waitFor();
		expect(await ada.getByTestId('status-banner').count()).toBe(0);
		await chatItem(ada, 'Pat Outage').waitFor();
		await ada.getByTestId('message').filter({ hasText: 'Hello from Pat' }).waitFor();
		expect(await ada.getByTestId('end-conversation').isDisabled()).toBe(true);
		await say(ada, 'Typed while offline');
		await ada.locator('[data-testid="message-state"][data-state="waiting"]')
			.getByText('Not sent yet: it goes when you are back online.').waitFor();
		await shot(ada, 'outage');

		net.up();
		await indicator.waitFor({ state: 'detached' });
		await pat.getByTestId('message').filter({ hasText: 'Typed while offline' }).waitFor();
		await expect.poll(() => ada.getByTestId('message-state').getAttribute('data-state')).toBe('sent');
		expect(await ada.getByTestId('end-conversation').isDisabled()).toBe(false);
		await done(ada, [pat]);
	}, 90_000);
});
