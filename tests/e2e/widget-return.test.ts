import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { signIn } from '../helpers/api';
import { fillStartForm, stageForFile } from './browser';
import { hostPage, type HostSite } from './host-page';

// Issue 15's leftovers on the customer's side: what a reload shows after "Start a new chat" (the
// widget and /chat).

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
		await frame.getByTestId('new-chat').click();
		await frame.getByTestId('widget-start-form').waitFor();
		// The host page still keeps the ended chat's token (it proves the next chat, T4), marked anew.
		expect(await storedChat(visitor)).toMatchObject({ id: first, anew: true });

		await visitor.reload();
		await visitor.locator('[data-parley-launcher]').click();
		await frame.getByTestId('widget-start-form').waitFor();
		expect(await frame.getByTestId('chat-view').count()).toBe(0);

		await visitor.evaluate(() => delete document.body.dataset.started);
		const second = await startInWidget(visitor, 'Robin Park');
		expect(second).not.toBe(first);
		expect(await storedChat(visitor)).toEqual({ id: second, token: expect.any(String) });
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
