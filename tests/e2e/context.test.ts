import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { EARLIER_LINES, returningCustomer } from '../helpers/history';
import { fillStartForm, screenshots, stageForFile, signInAvailable, startCustomerChat } from './browser';

// The joining agent's context (issue 4, SPEC C9–C13): Sam, a returning customer, had a Technical
// chat with Linus and then a Billing chat with Grace, from the browser it comes back with (its
// chat cookies prove who it is, T4). Ada takes Sam's new Billing chat, attaches records and
// conferences Grace in. Then (T4) what a claim shows, and how a second chat in the same browser
// is recognised. Screenshots: test-results/context-*.

const stage = stageForFile();
const shot = screenshots('context');

const recordIds = async (page: Page) =>
	(await page.getByTestId('workspace-record').evaluateAll((els) => els.map((e) => e.getAttribute('data-record-id')))).sort();

/** The owner attaches one record through the panel's search. */
async function attach(page: Page, title: string) {
	const open = page.getByTestId('record-attach-open');
	if ((await open.getAttribute('aria-expanded')) !== 'true') await open.click();
	await page.getByTestId('record-query').fill(title);
	await page.getByTestId('record-result').filter({ hasText: title }).getByRole('button', { name: 'Attach' }).click();
	await page.getByTestId('workspace-record').filter({ hasText: title }).waitFor();
}

describe('context of the joining agent', () => {
	it('[C9][C10][C11][C12][C13] Grace joins Sam\'s chat: placeholders, her history, the warning; her workspace keeps its set', async () => {
		const sam = await returningCustomer(stage().server);
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await startCustomerChat(stage(), 'Sam Lee', 'Billing', sam.cookies);
		await ada.getByTestId('offer').filter({ hasText: 'Sam Lee' }).getByTestId('offer-accept').click();

		// [C9] Ada (billing and tech) reads both earlier chats, newest first, and no warning.
		const adaHistory = ada.getByTestId('history-entry');
		await expect.poll(() => adaHistory.count()).toBe(2);
		expect(await adaHistory.first().locator('summary').textContent()).toContain('Billing');
		expect(await adaHistory.last().locator('summary').textContent()).toContain('Technical');
		expect(await ada.getByTestId('history-withheld').count()).toBe(0);
		expect(await ada.getByTestId('conversation-unverified').count()).toBe(0);

		// [C12] Ada owns the chat: she attaches the contact, case 1042 and the escalation only she may see.
		await ada.getByTestId('workspace-owner').getByText("You own this chat's records").waitFor();
		for (const title of ['Pat Example', 'Case 1042', 'Escalation']) await attach(ada, title);
		await shot(ada, 'ada-owner-workspace');

		// Grace's history answer is held on the wire until the placeholders have been seen.
		const grace = await signInAvailable(stage(), 'grace@parley.test');
		let release!: () => void;
		const held = new Promise<void>((resolve) => (release = resolve));
		await grace.route('**/api/chats/*/history', async (route) => {
			await held;
			await route.continue();
		});

		// Ada conferences Grace in through the dialog; Grace accepts.
		await ada.getByTestId('conference-open').click();
		await ada.getByTestId('request-query').fill('Grace');
		await ada.locator('[data-testid="agent-option"][data-agent-id="grace"]').click();
		await ada.getByTestId('request-submit').click();
		await grace.locator('[data-testid="offer"][data-request="conference"]').getByTestId('offer-accept').click();

		// [C9] Gray placeholder lines while the earlier chats load…
		await grace.getByTestId('history-loading').waitFor();
		expect(await grace.getByTestId('history-loading').locator('.skeleton').count()).toBeGreaterThan(1);
		await shot(grace, 'grace-history-loading');
		release();

		// …then the Billing chat she may read, and [C10] the warning about the Technical one.
		const entries = grace.getByTestId('history-entry');
		await entries.first().waitFor();
		expect(await entries.count()).toBe(1);
		expect(await entries.first().locator('summary').textContent()).toContain('Billing');
		await grace.getByTestId('history-withheld').getByText("1 conversation isn't viewable because of permissions.").waitFor();
		await entries.first().locator('summary').click();
		await entries.first().getByText(EARLIER_LINES.Billing).waitFor();
		expect(await grace.getByText('router').count()).toBe(0);

		// [C11] Her workspace: what was attached when she joined and she may see; the rest counted.
		await grace.getByTestId('workspace-withheld').getByText('1 record withheld').waitFor();
		expect(await recordIds(grace)).toEqual(['rec-case-1042', 'rec-contact-pat']);
		await grace.getByTestId('workspace-owner').getByText('Ada').waitFor();
		expect(await grace.getByTestId('record-attach-open').count()).toBe(0);
		expect(await grace.getByTestId('record-remove').count()).toBe(0);
		await shot(grace, 'grace-history-and-workspace');

		// [C13] The owner attaches and removes during the conference: Grace's console refetches
		// (the server moved workspaceAt) and her workspace is still the set from when she joined.
		let refetched = grace.waitForResponse((r) => r.url().endsWith('/workspace') && r.status() === 200);
		await attach(ada, 'Order 7781');
		await refetched;
		refetched = grace.waitForResponse((r) => r.url().endsWith('/workspace') && r.status() === 200);
		await ada.getByTestId('workspace-record').filter({ hasText: 'Pat Example' }).getByTestId('record-remove').click();
		await ada.getByTestId('workspace-record').filter({ hasText: 'Pat Example' }).waitFor({ state: 'detached' });
		await refetched;
		expect(await recordIds(ada)).toEqual(['rec-case-1042', 'rec-case-escalation', 'rec-order-7781']);
		expect(await recordIds(grace)).toEqual(['rec-case-1042', 'rec-contact-pat']);
		expect(await grace.getByTestId('workspace-withheld').textContent()).toContain('1 record withheld');
		await shot(ada, 'ada-after-changes');
		await shot(grace, 'grace-workspace-unchanged');
	}, 120_000);

	it('[T4] typing a returning customer\'s email shows no history: the panel says the email is not verified', async () => {
		const margaret = await signInAvailable(stage(), 'margaret@parley.test');
		// "Pat" types pat@example.com: the seeded customer with two earlier chats, in a fresh browser.
		await startCustomerChat(stage(), 'Pat', 'Technical');
		const offer = margaret.getByTestId('offer').filter({ hasText: 'Pat' });
		await offer.getByTestId('offer-unverified').getByText('email not verified').waitFor();
		await offer.getByTestId('offer-accept').click();
		await margaret.getByTestId('conversation-unverified').getByText('email not verified').waitFor();
		await margaret.getByTestId('history-unverified').getByText('Email not verified — earlier chats are hidden.').waitFor();
		expect(await margaret.getByTestId('history-entry').count()).toBe(0);
		expect(await margaret.getByText('router').count()).toBe(0);
		await shot(margaret, 'margaret-unverified-history');
		await margaret.getByTestId('end-conversation').click();
		await margaret.getByTestId('confirm-end').click();
	}, 60_000);

	it('[T4] a customer who ends a chat and starts another in the same browser is recognised: the agent sees the first', async () => {
		const margaret = await signInAvailable(stage(), 'margaret@parley.test');
		const kim = await startCustomerChat(stage(), 'Kim Park', 'Technical');
		const firstOffer = margaret.getByTestId('offer').filter({ hasText: 'Kim Park' });
		await firstOffer.waitFor();
		expect(await firstOffer.getByTestId('offer-unverified').count()).toBe(0);
		await firstOffer.getByTestId('offer-accept').click();
		await margaret.getByTestId('history-empty').getByText('No earlier chats with Kim Park.').waitFor();
		await kim.getByTestId('composer').fill('The app logs me out every hour.');
		await kim.getByTestId('composer').press('Enter');
		await margaret.getByTestId('message').filter({ hasText: 'logs me out' }).waitFor();
		await margaret.getByTestId('end-conversation').click();
		await margaret.getByTestId('confirm-end').click();

		// Same browser, a new chat: its cookie of the first chat proves it is Kim.
		await kim.getByTestId('new-chat').click();
		await fillStartForm(kim, 'Kim Park', 'Technical');
		await margaret.getByTestId('offer').filter({ hasText: 'Kim Park' }).getByTestId('offer-accept').click();
		const entries = margaret.getByTestId('history-entry');
		await entries.first().waitFor();
		expect(await entries.count()).toBe(1);
		await entries.first().locator('summary').click();
		await entries.first().getByText('The app logs me out every hour.').waitFor();
		expect(await margaret.getByTestId('history-unverified').count()).toBe(0);
		await shot(margaret, 'margaret-returning-history');
	}, 60_000);
});
