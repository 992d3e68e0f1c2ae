import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { signEmail } from '../../server/services/widgets/signature';
import { signIn } from '../helpers/api';
import { say, screenshots, signInAvailable, stageForFile } from './browser';
import { hostPage, type HostSite } from './host-page';

// B7 end to end: a plain page on another origin (a tiny server of the test's own, another port and
// host, so another site) pastes the snippet; in Chromium the visitor opens the bubble, chats with
// an agent in the console, reloads and finds the chat again, ends it. The same snippet on a page
// of a site the widget does not allow gets no chat.

const stage = stageForFile();
const shot = screenshots('widget');

let key = '';
let secret = '';
/** The shop's server signs its signed-in visitor (hex HMAC-SHA256 of the email with the secret). */
const identify = () => `Parley.identify(${JSON.stringify({ email: 'sam@example.com', name: 'Sam Lee', signature: signEmail('sam@example.com', secret) })});`;
const snippet = () => `<script src="${stage().server.url}/widget.js" data-parley-key="${key}" async></script>`;
let shop: HostSite;
let elsewhere: HostSite;

beforeAll(async () => {
	shop = await hostPage(snippet, identify);
	elsewhere = await hostPage(snippet);
	const admin = await signIn(stage().server, 'admin@parley.test');
	const res = await admin.call('POST', '/api/admin/widgets', {
		name: 'Bike Shop', allowedOrigins: [shop.url], topics: ['billing'], greeting: 'Hi! Questions about your order?', colour: '#0f766e'
	});
	if (res.status !== 201) throw new Error(`create widget: ${res.status} ${res.raw}`);
	key = res.body.widget.key;
	secret = res.body.widget.secret;
});
afterAll(() => {
	shop?.server.close();
	elsewhere?.server.close();
});

const frameOf = (page: Page) => page.frameLocator('iframe[data-parley-frame]');
const storedChat = (page: Page) => page.evaluate((k) => JSON.parse(localStorage.getItem(`parley:${k}`) ?? 'null'), key);

describe('[#15 B7] the widget on another site', () => {
	it('[#15 B7] a visitor opens the bubble, chats with an agent, reloads and finds the chat, ends it', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');
		const visitor = await stage().open(1100, 760, shop.url);
		const launcher = visitor.locator('[data-parley-launcher]');
		await launcher.waitFor();
		expect(await launcher.getAttribute('aria-label')).toBe('Chat with Bike Shop');
		// Nothing but the button until a click.
		expect(await visitor.locator('iframe').count()).toBe(0);
		await shot(visitor, 'launcher');

		await launcher.click();
		const frame = frameOf(visitor);
		await frame.getByTestId('widget-greeting').getByText('Questions about your order?').waitFor();
		await shot(visitor, 'start-form');
		await frame.getByTestId('start-name').fill('Robin Park');
		await frame.getByTestId('start-email').fill('robin@example.com');
		await frame.getByTestId('start-submit').click();
		await frame.getByTestId('chat-view').waitFor();
		await expect.poll(() => visitor.evaluate(() => document.body.dataset.started)).toBeTruthy();
		const chatId = await visitor.evaluate(() => document.body.dataset.started!);
		// The host page keeps the chat (its token too), never the URL.
		expect(await storedChat(visitor)).toMatchObject({ id: chatId, token: expect.any(String) });
		expect(await visitor.locator('iframe').getAttribute('src')).toBe(`${stage().server.url}/widget/${key}`);

		const offer = agent.getByTestId('offer').filter({ hasText: 'Robin Park' });
		await offer.getByTestId('offer-accept').click();
		await frame.getByTestId('chat-agents').getByText('Ada').waitFor();
		await say(frame as unknown as Page, 'Hello, where is my bike?');
		await agent.getByTestId('message').filter({ hasText: 'where is my bike' }).waitFor();
		await say(agent, 'It ships tomorrow, Robin.');
		await frame.getByTestId('message').filter({ hasText: 'ships tomorrow' }).waitFor();
		await shot(visitor, 'chatting');

		// Closed panel: an agent's message shows as a badge on the launcher.
		await launcher.click();
		await expect.poll(() => visitor.locator('[data-parley-frame]').isVisible()).toBe(false);
		await say(agent, 'Tracking number follows.');
		const badge = visitor.locator('[data-parley-badge]');
		await expect.poll(() => badge.textContent()).toBe('1');
		expect(await launcher.getAttribute('aria-label')).toBe('Chat with Bike Shop (1 unread)');
		await shot(visitor, 'unread-badge');
		await launcher.click();
		await expect.poll(() => badge.isVisible()).toBe(false);

		// A reload (no cookie involved: the browser holds none of Parley's): the loader hands the
		// chat back to the frame.
		expect(await visitor.context().cookies(stage().server.url)).toEqual([]);
		await visitor.reload();
		await visitor.locator('[data-parley-launcher]').click();
		await frame.getByTestId('message').filter({ hasText: 'Tracking number follows.' }).waitFor();
		await frame.getByTestId('message').filter({ hasText: 'where is my bike' }).waitFor();
		await shot(visitor, 'resumed');
		// Keyboard: Escape in the panel closes it and gives the focus back to the launcher.
		await frame.getByTestId('composer').press('Escape');
		await expect.poll(() => visitor.locator('[data-parley-frame]').isVisible()).toBe(false);
		expect(await visitor.evaluate(() => document.activeElement?.hasAttribute('data-parley-launcher'))).toBe(true);
		await visitor.keyboard.press('Enter');
		await frame.getByTestId('end-chat').waitFor();

		// The visitor ends it; the host page hears chat:ended.
		await frame.getByTestId('end-chat').click();
		await frame.getByTestId('confirm-end').click();
		await frame.getByTestId('chat-ended').waitFor();
		await expect.poll(() => visitor.evaluate(() => document.body.dataset.ended)).toBe(chatId);
		// Ada was looking at it: it stays open read-only there (wrap-up, issue 16).
		await agent.getByTestId('conversation-ended').waitFor();
		await shot(visitor, 'ended');
		await agent.context().close();
		await visitor.context().close();
	}, 120_000);

	it('[#15 B7 T4] a visitor the site signed in chats as itself: no name or email asked, the chat is signed', async () => {
		const visitor = await stage().open(1100, 760, `${shop.url}/signed-in`);
		await visitor.locator('[data-parley-launcher]').click();
		const frame = frameOf(visitor);
		await frame.getByTestId('widget-signed-in').getByText('Sam Lee').waitFor();
		expect(await frame.getByTestId('start-name').count()).toBe(0);
		await frame.getByTestId('start-submit').click();
		await frame.getByTestId('chat-view').waitFor();
		await expect.poll(() => visitor.evaluate(() => document.body.dataset.started)).toBeTruthy();
		const chatId = await visitor.evaluate(() => document.body.dataset.started!);
		expect(await stage().server.row(sql`SELECT identity, customer_name AS name FROM chats WHERE id = ${chatId}`)).toEqual({
			identity: 'signed',
			name: 'Sam Lee'
		});
		await visitor.context().close();
	}, 60_000);

	it('[#15 B7] on a phone the panel fills the screen', async () => {
		const phone = await stage().open(390, 844, shop.url);
		await phone.locator('[data-parley-launcher]').click();
		await frameOf(phone).getByTestId('widget-greeting').waitFor();
		expect(await phone.locator('iframe[data-parley-frame]').boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
		expect(await phone.locator('[data-parley-launcher]').isVisible()).toBe(false);
		await shot(phone, 'phone');
		await frameOf(phone).getByTestId('widget-close').click();
		await phone.locator('[data-parley-launcher]').waitFor();
		expect(await phone.locator('iframe[data-parley-frame]').isVisible()).toBe(false);
		await phone.context().close();
	}, 60_000);

	it('[#15 B7] the same snippet on a site the widget does not allow gets no chat', async () => {
		// A context of its own: the refusals below are reported as CSP violations on purpose.
		const context = await stage().browser.newContext({ viewport: { width: 1100, height: 760 } });
		const page = await context.newPage();
		const warned = new Promise<string>((ok) => page.on('console', (m) => /may not embed it/.test(m.text()) && ok(m.text())));
		await page.goto(elsewhere.url);
		expect(await warned).toMatch(/403/);
		expect(await page.locator('[data-parley-launcher]').count()).toBe(0);
		expect(await page.evaluate(() => typeof (window as any).Parley.open)).toBe('function');
		await page.evaluate(() => (window as any).Parley.open());
		expect(await page.locator('iframe').count()).toBe(0);

		// Framing the widget page by hand: the browser refuses it (frame-ancestors).
		const refused = new Promise<string>((ok) => page.on('console', (m) => /frame-ancestors/.test(m.text()) && ok(m.text())));
		await page.evaluate((src) => {
			const f = document.createElement('iframe');
			f.src = src;
			document.body.appendChild(f);
		}, `${stage().server.url}/widget/${key}`);
		expect(await refused).toContain('frame-ancestors');
		expect(await page.frameLocator('iframe').getByTestId('widget-page').count()).toBe(0);
		await shot(page, 'refused');
		await context.close();
	}, 60_000);

	it('[#15 B7] an admin creates a widget at /admin: a bad origin is refused under its field; the secret shows once', async () => {
		const admin = await stage().open(1280, 900, '/admin');
		await admin.getByTestId('login-email').fill('admin@parley.test');
		await admin.getByTestId('login-password').fill('parley-demo');
		await admin.getByTestId('login-submit').click();
		const section = admin.getByTestId('widgets-admin');
		await section.getByTestId('widget-row').first().waitFor();
		await section.getByTestId('widget-new').click();
		const form = section.getByTestId('widget-form');
		await form.getByTestId('widget-name').fill('Help centre');
		await form.getByTestId('widget-origins').fill('https://help.example/');
		await form.getByTestId('widget-topic-technical').check();
		await form.getByTestId('widget-save').click();
		await form.getByText('"https://help.example/" is not an exact origin like https://shop.example').waitFor();
		await form.getByTestId('widget-origins').fill('https://help.example');
		await form.getByTestId('widget-save').click();
		const secret = section.getByTestId('widget-secret');
		await secret.getByText(/^sk_/).waitFor();
		const row = section.getByTestId('widget-row').filter({ hasText: 'Help centre' });
		expect(await row.getByTestId('widget-snippet').inputValue()).toMatch(
			new RegExp(`^<script src="${stage().server.url}/widget.js" data-parley-key="pk_[a-z0-9]+" async></script>$`)
		);
		await shot(admin, 'admin');
		const first = (await secret.locator('code').first().textContent())!;
		await secret.getByRole('button', { name: 'Done' }).click();

		// A leaked secret: a new one, after a confirmation; shown once, the snippet unchanged.
		const key = await row.getByTestId('widget-snippet').inputValue();
		await row.getByTestId('widget-rotate').click();
		await admin.getByTestId('confirm-rotate-secret').click();
		await secret.getByText('Help centre: its new signing secret').waitFor();
		const second = (await secret.locator('code').first().textContent())!;
		expect(second).toMatch(/^sk_[a-z0-9]{64}$/);
		expect(second).not.toBe(first);
		expect(await row.getByTestId('widget-snippet').inputValue()).toBe(key);
		await shot(admin, 'admin-new-secret');
		await admin.reload();
		await section.getByTestId('widget-row').filter({ hasText: 'Help centre' }).waitFor();
		expect(await section.getByTestId('widget-secret').count()).toBe(0);
		await admin.context().close();
	}, 60_000);
});
