import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

// End to end: a customer (phone) and an agent (desktop) in one real browser, against the real
// server on port 0 with a fresh database. Needs the built web app (`npm test` builds first).

const SHOTS = resolve('test-results');
const WAIT = 15_000;

let server: TestServer;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
	mkdirSync(SHOTS, { recursive: true });
	server = await startTestServer(); // port 0, a fresh temp dataDir, migrated and seeded
	browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
});

afterAll(async () => {
	for (const c of contexts) await c.close().catch(() => undefined);
	await browser?.close();
	await server?.stop();
});

async function openPage(width: number, height: number, path: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width, height }, baseURL: server.url });
	contexts.push(context);
	const page = await context.newPage();
	page.setDefaultTimeout(WAIT);
	page.on('pageerror', (err) => console.error(`[browser ${path}]`, err));
	await page.goto(path);
	return page;
}

describe('customer and agent', () => {
	it('[L1] a Billing chat reaches the one available agent, both talk, the agent ends it', async () => {
		// The agent signs in and becomes available.
		const agent = await openPage(1280, 800, '/agent');
		await agent.getByTestId('login-email').fill('ada@parley.test');
		await agent.getByTestId('login-password').fill('parley-demo');
		await agent.getByTestId('login-submit').click();
		await agent.getByTestId('presence-available').click();
		await agent.locator('[data-testid="presence-available"][aria-pressed="true"]').waitFor();

		// The customer starts a Billing chat and waits.
		const customer = await openPage(390, 844, '/chat');
		await customer.getByTestId('start-name').fill('Sam Carter');
		await customer.getByTestId('start-email').fill('sam@example.com');
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await customer.getByTestId('start-submit').click();
		await customer.getByTestId('waiting').getByText('Connecting you to an agent…').waitFor();
		const chatId = await customer.evaluate(() => localStorage.getItem('parley.chatId'));
		expect(chatId).toBeTruthy();

		// omni: with only Ada available, the offer goes to Ada; she accepts.
		const offer = agent.getByTestId('offer').filter({ hasText: 'Sam Carter' });
		await offer.waitFor();
		expect(await offer.getAttribute('data-chat-id')).toBe(chatId);
		await offer.getByTestId('offer-accept').click();
		await agent.getByTestId('chat-item').filter({ hasText: 'Sam Carter' }).waitFor();
		await agent.getByTestId('conversation').waitFor();

		// The customer sees who joined.
		await customer.getByTestId('chat-agents').getByText('Ada').waitFor();
		await customer.getByTestId('waiting').waitFor({ state: 'detached' });

		// Messages both ways; Enter sends.
		await customer.getByTestId('composer').fill('Hi, my invoice is charged twice.');
		await customer.getByTestId('composer').press('Enter');
		await customer.locator('[data-testid="message"][data-own="true"]', { hasText: 'charged twice' }).waitFor();
		await agent.locator('[data-testid="message"][data-own="false"]', { hasText: 'charged twice' }).waitFor();

		// The customer sees the agent typing before the reply arrives.
		const agentBox = agent.getByTestId('composer');
		await agentBox.click();
		await agentBox.pressSequentially('Sorry about that, Sam');
		await customer.getByTestId('typing').getByText('Ada is typing…').waitFor();
		await agentBox.pressSequentially(' — I will refund one charge now.');
		await agentBox.press('Enter');
		await customer.locator('[data-testid="message"][data-own="false"]', { hasText: 'refund one charge' }).waitFor();
		await agent.locator('[data-testid="message"][data-own="true"]', { hasText: 'refund one charge' }).waitFor();
		await customer.getByTestId('typing').getByText('is typing').waitFor({ state: 'detached' });
		await agent.screenshot({ path: join(SHOTS, 'agent-console.png') });

		// A reload keeps the conversation (localStorage id + chat cookie).
		await customer.reload();
		await customer.getByTestId('message').filter({ hasText: 'charged twice' }).waitFor();
		await customer.getByTestId('message').filter({ hasText: 'refund one charge' }).waitFor();
		await customer.getByTestId('chat-agents').getByText('Ada').waitFor();
		await customer.getByTestId('composer').fill('Thanks!');
		await customer.getByTestId('composer').press('Enter');
		await agent.getByTestId('message').filter({ hasText: 'Thanks!' }).waitFor();
		await customer.screenshot({ path: join(SHOTS, 'customer-chat.png') });

		// The agent ends the conversation; the customer sees the end and a way to start again.
		await agent.getByTestId('end-conversation').click();
		await agent.getByTestId('confirm-end').click();
		await customer.getByTestId('chat-ended').waitFor();
		await customer.getByTestId('new-chat').waitFor();
		await expect.poll(() => customer.getByTestId('composer').count()).toBe(0);
		expect(await customer.getByTestId('message').count()).toBeGreaterThanOrEqual(3);
		await customer.screenshot({ path: join(SHOTS, 'customer-ended.png') });
		await agent.screenshot({ path: join(SHOTS, 'agent-ended.png') });

		// "Start a new chat" forgets the old one and shows the form again.
		await customer.getByTestId('new-chat').click();
		await customer.getByTestId('start-form').waitFor();
		expect(await customer.evaluate(() => localStorage.getItem('parley.chatId'))).toBeNull();
	}, 90_000);

	it('[L1] a Technical chat is offered to every available tech agent and only one gets it', async () => {
		const agents = await Promise.all(
			['linus@parley.test', 'margaret@parley.test'].map(async (email) => {
				const page = await openPage(1024, 768, '/agent');
				await page.getByTestId('login-email').fill(email);
				await page.getByTestId('login-password').fill('parley-demo');
				await page.getByTestId('login-submit').click();
				await page.getByTestId('presence-available').click();
				await page.locator('[data-testid="presence-available"][aria-pressed="true"]').waitFor();
				return page;
			})
		);
		const customer = await openPage(390, 844, '/chat');
		await customer.getByTestId('start-name').fill('Kim Button');
		await customer.getByTestId('start-email').fill('kim@example.com');
		await customer.getByTestId('start-topic').selectOption({ label: 'Technical' });
		await customer.getByTestId('start-submit').click();
		for (const a of agents) await a.getByTestId('offer').filter({ hasText: 'Kim Button' }).waitFor();

		// Both press Accept at once (the `a` shortcut); exactly one wins.
		await Promise.all(agents.map((a) => a.keyboard.press('a')));
		await expect
			.poll(async () => {
				const has = await Promise.all(agents.map((a) => a.getByTestId('chat-item').count()));
				return has.filter((n) => n > 0).length;
			})
			.toBe(1);
		const [first, second] = await Promise.all(agents.map((a) => a.getByTestId('chat-item').count()));
		const loser = first > 0 ? agents[1] : agents[0];
		expect(first + second).toBe(1);
		// The loser either saw the offer withdrawn or was told it was taken; no chat either way.
		await loser.getByTestId('offer').filter({ hasText: 'Kim Button' }).waitFor({ state: 'detached' });
		expect(await loser.getByTestId('chat-item').count()).toBe(0);
		const banner = loser.getByTestId('console-banner');
		if (await banner.count()) expect(await banner.first().textContent()).toContain('Another agent took this chat');
		console.log('LOSER banners:', await banner.allTextContents());
		await expect.poll(() => customer.getByTestId('chat-agents').locator('.avatar').count()).toBe(1);
	}, 90_000);
});
