import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, signInAvailable, stageForFile, startCustomerChat } from './browser';

// Issue 16 ("the agent's day") in Chromium: each test is named after the bullet.
// Screenshots: test-results/day-*.

const stage = stageForFile();
const shot = screenshots('day');

async function signInAt(path: string, email: string) {
	const page = await stage().open(1280, 800, path);
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	return page;
}

/** Pastes `text` into the composer through the real clipboard (Ctrl+V), as a person would. */
async function paste(page: Page, text: string) {
	await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stage().server.url });
	await page.evaluate((t) => navigator.clipboard.writeText(t), text);
	await page.getByTestId('composer').focus();
	await page.keyboard.press('Control+V');
}

describe('issue 16 in the browser', () => {
	it('[#16 roles] an auditor opening /agent lands on /audit, an admin on /admin, each told why with a link back', async () => {
		const auditor = await signInAt('/agent', 'audit@parley.test');
		await auditor.getByTestId('sent-here').getByText('The agent console is for agents.').waitFor();
		expect(new URL(auditor.url()).pathname).toBe('/audit');
		expect(await auditor.getByTestId('presence-available').count()).toBe(0);
		await shot(auditor, 'auditor-sent-to-audit');

		const admin = await signInAt('/agent', 'admin@parley.test');
		await admin.getByTestId('config-table').waitFor();
		await admin.getByTestId('sent-here').getByText('The agent console is for agents.').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/admin');
		// No link into a console the admin cannot use; the way back is the start page.
		expect(await admin.getByRole('link', { name: 'Agent console' }).count()).toBe(0);
		await shot(admin, 'admin-sent-to-admin');
		await admin.getByTestId('sent-here-back').click();
		await admin.getByTestId('go-agent').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/');

		// Coming again while signed in lands there at once, from the start page's own link.
		await admin.getByTestId('go-agent').click();
		await admin.getByTestId('config-table').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/admin');
		await Promise.all([auditor, admin].map((p) => p.context().close()));
	}, 60_000);

	it('[#16 composer] a paste over 4,000 characters is refused with a message on both sides, never cut; a counter shows near the limit', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const customer = await startCustomerChat(stage(), 'Noor Paste', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Noor Paste' }).getByTestId('offer-accept').click();
		await ada.getByTestId('conversation').waitFor();

		for (const page of [ada, customer]) {
			await paste(page, 'x'.repeat(5000));
			await page.getByTestId('composer-refused').getByText('That paste is 5,000 characters').waitFor();
			expect(await page.getByTestId('composer').inputValue()).toBe('');
			await shot(page, page === ada ? 'agent-paste-refused' : 'customer-paste-refused');

			await paste(page, 'y'.repeat(3800));
			expect((await page.getByTestId('composer').inputValue()).length).toBe(3800);
			expect(await page.getByTestId('composer-refused').count()).toBe(0);
			await page.getByTestId('composer-counter').getByText('200 characters left').waitFor();
			await shot(page, page === ada ? 'agent-counter' : 'customer-counter');

			// Typed past the limit: nothing is cut, the message says by how much, and it cannot be sent.
			await page.getByTestId('composer').fill('z'.repeat(4010));
			await page.getByTestId('composer-counter').getByText('10 over the 4,000-character limit').waitFor();
			expect(await page.getByTestId('send').isDisabled()).toBe(true);
			await page.getByTestId('composer').press('Enter');
			expect((await page.getByTestId('composer').inputValue()).length).toBe(4010);
			await page.getByTestId('composer').fill('');
			expect(await page.getByTestId('composer-limit').count()).toBe(0);
		}
		await Promise.all([ada, customer].map((p) => p.context().close()));
	}, 90_000);
});
