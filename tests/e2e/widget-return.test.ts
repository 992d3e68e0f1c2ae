import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn } from '../helpers/api';
import { fillStartForm, say, screenshots, signInAvailable, stageForFile } from './browser';
import { hostPage, type HostSite } from './host-page';

// Issue 15's leftovers on the customer's side: what a reload shows after "Start a new chat" (the
// widget and /chat); the launcher's badge for a returning visitor who has not clicked yet.

const stage = stageForFile();

let key = '';
const snippet = () => `<script src="${stage().server.url}/widget.js" data-parley-key="${key}" async></script>`;
let shop: HostSite;

beforeAll(async () => {
	shop = await hostPage(snippet);
	const admin = await signIn(stage().server, 'admin@parley.test');
	const res = await admin.call('POST', '/api/admin/widgets', {
		name: 'Bike Shop', allowedOrigins: [shop.url], topics: ['billing'], greeting: 'Hi! Questions about your order?', colour: '#0f766e'
	});
	if (res.status !== 201) throw new Error(`create widget: ${res.status} ${res.raw}`);
	key = res.body.widget.key;
});
afterAll(() => shop?.server.close());

const frameOf = (page: Page) => page.frameLocator('iframe[data-parley-frame]');
const storedChat = (page: Page) => page.evaluate((k) => JSON.parse(localStorage.getItem(`parley:${k}`) ?? 'null'), key);

/** Starts a chat in the open widget panel; answers its id (from the host page's chat:started). */
async function startInWidget(visitor: Page, name: string) {
	const frame = frameOf(visitor);
	await frame.getByTestId('start-name').fill(name);
	await frame.getByTestId('start-email').fill(`${name.split(' ')[0].toLowerCase()}@example.com`);
	await frame.getByTestId('start-submit').click();
	await frame.getByTestId('chat-view').waitFor();
	await expect.poll(() => visitor.evaluate(() => document.body.dataset.started ?? '')).not.toBe('');
	return visitor.evaluate(() => document.body.dataset.started!);
}

/** The customer ends its chat (the same view in the widget and on /chat). */
async function endOwnChat(page: Pick<Page, 'getByTestId'>) {
	await page.getByTestId('end-chat').click();
	await page.getByTestId('confirm-end').click();
	await page.getByTestId('chat-ended').waitFor();
}

describe('[#15] a reload after "Start a new chat"', () => {
	it('[#15 B7] widget: the start form after a reload, then the newest chat', async () => {
		const visitor = await stage().open(1100, 760, shop.url);
		await visitor.locator('[data-parley-launcher]').click();
		const frame = frameOf(visitor);
		const first = await startInWidget(visitor, 'Robin Park');
		await endOwnChat(frame);
		await expect.poll(async () => (await storedChat(visitor))?.ended).toBe(true);
		// Ended, not yet left: a reload loads no frame before a click (no message can come), and
		// the click shows the ended chat, read-only, with its "Start a new chat".
		await visitor.reload();
		await visitor.locator('[data-parley-launcher]').waitFor();
		expect(await visitor.locator('iframe').count()).toBe(0);
		await visitor.locator('[data-parley-launcher]').click();
		await frame.getByTestId('chat-ended').waitFor();
		await frame.getByTestId('new-chat').click();
		await frame.getByTestId('widget-start-form').waitFor();
		// The host page still keeps the ended chat's token (it proves the next chat, T4), marked anew.
		expect(await storedChat(visitor)).toMatchObject({ id: first, anew: true });

		await visitor.reload();
		await visitor.locator('[data-parley-launcher]').waitFor();
		// No live chat to hear from: nothing but the button before a click.
		expect(await visitor.locator('iframe').count()).toBe(0);
		await visitor.locator('[data-parley-launcher]').click();
		await frame.getByTestId('widget-start-form').waitFor();
		expect(await frame.getByTestId('chat-view').count()).toBe(0);

		await visitor.evaluate(() => delete document.body.dataset.started);
		const second = await startInWidget(visitor, 'Robin Park');
		expect(second).not.toBe(first);
		const kept = await storedChat(visitor);
		expect(kept).toMatchObject({ id: second, token: expect.any(String) });
		expect(kept.anew).toBeUndefined();
		await visitor.reload();
		await visitor.locator('[data-parley-launcher]').click();
		await frame.locator(`[data-testid="chat-view"][data-status="waiting"]`).waitFor();
		expect(await frame.getByTestId('chat-ended').count()).toBe(0);
		await visitor.context().close();
	}, 90_000);

	it('[#15] /chat: the start form after a reload, then the newest chat', async () => {
		const customer = await stage().open(390, 844, '/chat');
		await fillStartForm(customer, 'Kim Vale', 'Billing');
		await endOwnChat(customer);
		await customer.getByTestId('new-chat').click();
		await customer.getByTestId('start-form').waitFor();

		await customer.reload();
		await customer.getByTestId('start-form').waitFor();
		expect(await customer.getByTestId('chat-view').count()).toBe(0);

		await fillStartForm(customer, 'Kim Vale', 'Billing');
		await customer.reload();
		await customer.locator(`[data-testid="chat-view"][data-status="waiting"]`).waitFor();
		expect(await customer.getByTestId('chat-ended').count()).toBe(0);
		await customer.context().close();
	}, 90_000);
});

describe('[#15 B7] the unread badge for a returning visitor', () => {
	it('[#15 B7] after a reload, an agent message shows on the launcher without a click; once read it does not come back', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');
		const visitor = await stage().open(1100, 760, shop.url);
		const launcher = visitor.locator('[data-parley-launcher]');
		const badge = visitor.locator('[data-parley-badge]');
		await launcher.click();
		const frame = frameOf(visitor);
		await startInWidget(visitor, 'Jo Return');
		await agent.getByTestId('offer').filter({ hasText: 'Jo Return' }).getByTestId('offer-accept').click();
		await say(agent, 'Hi Jo, how can I help?');
		await frame.getByTestId('message').filter({ hasText: 'how can I help' }).waitFor();
		await expect.poll(async () => (await storedChat(visitor))?.seen).toBe(1);
		await launcher.click();
		await expect.poll(() => visitor.locator('[data-parley-frame]').isVisible()).toBe(false);

		// Back later: the loader loads the frame hidden (a live chat to resume), nothing opens.
		await visitor.reload();
		await launcher.waitFor();
		await frame.getByTestId('message').filter({ hasText: 'how can I help' }).waitFor({ state: 'attached' });
		expect(await visitor.locator('[data-parley-frame]').isVisible()).toBe(false);
		expect(await badge.isVisible()).toBe(false);
		await say(agent, 'Are you still there?');
		await say(agent, 'Your refund is on its way.');
		await expect.poll(() => badge.textContent()).toBe('2');
		expect(await badge.isVisible()).toBe(true);
		expect(await launcher.getAttribute('aria-label')).toBe('Chat with Bike Shop (2 unread)');
		expect(await launcher.getAttribute('aria-expanded')).toBe('false');
		await screenshotBadge(visitor);

		await launcher.click();
		await frame.getByTestId('message').filter({ hasText: 'refund is on its way' }).waitFor();
		await expect.poll(() => badge.isVisible()).toBe(false);
		await expect.poll(async () => (await storedChat(visitor))?.seen).toBe(3);
		// Read, then a reload: no badge for what was read.
		await visitor.reload();
		await frame.getByTestId('message').filter({ hasText: 'refund is on its way' }).waitFor({ state: 'attached' });
		await visitor.waitForTimeout(300);
		expect(await badge.isVisible()).toBe(false);
		await agent.context().close();
		await visitor.context().close();
	}, 120_000);
});

const screenshotBadge = (page: Page) => screenshots('widget-return')(page, 'badge-after-reload');
