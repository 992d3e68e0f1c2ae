import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { say, screenshots, signInAvailable, stageForFile, startCustomerChat } from './browser';

// Issue 16, "accessibility", in Chromium: a labelled log on both sides, "You" for one's own
// messages, one clear label per agent in the Conference dialog, a skip link, and the system's
// dark mode on every page. Screenshots: test-results/day-a11y-*.

const stage = stageForFile();
const shot = screenshots('day-a11y');

const background = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('issue 16: accessibility', () => {
	it('[#16 a11y] both sides have a labelled log; own messages read “You”; each agent in the Conference dialog has one clear label; a skip link reaches the conversation', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const customer = await startCustomerChat(stage(), 'Lee Access', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Lee Access' }).getByTestId('offer-accept').click();
		await ada.getByTestId('end-conversation').waitFor();
		await say(customer, 'Hello, I use a screen reader');
		await say(ada, 'Hi Lee, Ada here');

		const customerLog = customer.getByRole('log', { name: 'Conversation about Billing' });
		await customerLog.getByText('Hi Lee, Ada here').waitFor();
		const agentLog = ada.getByRole('log', { name: 'Conversation with Lee Access' });
		await agentLog.getByText('Hello, I use a screen reader').waitFor();
		expect(await customerLog.textContent()).toMatch(/You:\s*Hello, I use a screen reader/);
		expect(await customerLog.textContent()).toMatch(/Ada:\s*Hi Lee, Ada here/);
		expect(await agentLog.textContent()).toMatch(/You:\s*Hi Lee, Ada here/);
		expect(await agentLog.getAttribute('aria-live')).toBe('off'); // the console's announcer speaks instead
		expect(await customerLog.getAttribute('aria-live')).toBe('polite');

		await signInAvailable(stage(), 'linus@parley.test');
		await ada.getByTestId('conference-open').click();
		await ada.getByRole('radio', { name: 'Linus, available, skills tech, 0 of 2 chats' }).waitFor();
		await ada.getByRole('radio', { name: /^Grace, offline, skills billing, 0 of 2 chats$/ }).waitFor();
		await ada.keyboard.press('Escape');
		await ada.getByTestId('request-dialog').waitFor({ state: 'hidden' });

		// The first Tab reaches the skip link; it moves focus into the conversation.
		await ada.reload();
		await ada.getByTestId('end-conversation').waitFor();
		await ada.keyboard.press('Tab');
		expect(await ada.evaluate(() => document.activeElement?.textContent)).toBe('Skip to main content');
		await shot(ada, 'skip-link');
		await ada.keyboard.press('Enter');
		expect(await ada.evaluate(() => document.activeElement?.tagName)).toBe('MAIN');
		await Promise.all([ada, customer].map((p) => p.context().close()));
	}, 90_000);

	it('[#16 a11y] the system dark mode is honoured on every page', async () => {
		const light = await stage().open(1280, 800, '/');
		const lightBg = await background(light);
		for (const path of ['/', '/chat', '/agent', '/admin', '/audit']) {
			const page = await stage().open(1280, 800, path);
			await page.emulateMedia({ colorScheme: 'dark' });
			expect(await background(page), path).toBe('rgb(15, 20, 27)');
			expect(await background(page)).not.toBe(lightBg);
			await shot(page, path === '/' ? 'dark-start' : `dark${path.replace('/', '-')}`);
			await page.context().close();
		}
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await ada.emulateMedia({ colorScheme: 'dark' });
		const customer = await startCustomerChat(stage(), 'Dee Dark', 'Billing');
		await customer.emulateMedia({ colorScheme: 'dark' });
		await ada.getByTestId('offer').filter({ hasText: 'Dee Dark' }).getByTestId('offer-accept').click();
		await say(customer, 'Dark here');
		await ada.getByTestId('message').filter({ hasText: 'Dark here' }).waitFor();
		await say(ada, 'Dark too');
		await customer.getByTestId('message').filter({ hasText: 'Dark too' }).waitFor();
		await shot(ada, 'dark-console');
		await shot(customer, 'dark-customer');
		await Promise.all([light, ada, customer].map((p) => p.context().close()));
	}, 90_000);
});
