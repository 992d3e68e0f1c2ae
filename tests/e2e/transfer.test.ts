import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, stageForFile, signInAvailable, startCustomerChat } from './browser';

// Transfer (issue 4, SPEC L4 and C14): the Transfer dialog hands a chat over; a chat in
// conference on button routing shows why it cannot be transferred. Screenshots: test-results/transfer-*.

const stage = stageForFile();
const shot = screenshots('transfer');

/** Opens the Conference or Transfer dialog and sends the request to one agent by name. */
async function ask(page: Page, kind: 'conference' | 'transfer', agentId: string, search: string) {
	await page.getByTestId(`${kind}-open`).click();
	const dialog = page.getByTestId('request-dialog');
	await dialog.getByTestId('request-query').fill(search);
	await dialog.locator(`[data-testid="agent-option"][data-agent-id="${agentId}"]`).click();
	if (kind === 'transfer') await shot(page, 'dialog');
	await dialog.getByTestId('request-submit').click();
	await dialog.waitFor({ state: 'hidden' });
}

describe('transfer', () => {
	it('[L4] Ada transfers a Billing chat to Grace: a Transfer card, Grace takes over, Ada leaves', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const customer = await startCustomerChat(stage(), 'Lee Morgan', 'Billing');
		await ada.getByTestId('offer').getByTestId('offer-accept').click();
		const grace = await signInAvailable(stage(), 'grace@parley.test');

		await ask(ada, 'transfer', 'grace', 'Grace');
		await ada.getByTestId('pending-request').filter({ hasText: 'Grace' }).waitFor();
		const card = grace.locator('[data-testid="offer"][data-request="transfer"]');
		await card.getByText('Ada asks you to take over this chat').waitFor();
		expect(await card.locator('.badge').textContent()).toBe('Transfer');
		await shot(grace, 'grace-transfer-card');

		await card.getByTestId('offer-accept').click();
		await grace.getByTestId('conversation').waitFor();
		await customer.getByTestId('notice').filter({ hasText: 'Ada transferred the chat to Grace' }).waitFor();
		await ada.getByTestId('toast').getByText('You transferred the chat with Lee Morgan.').waitFor();
		expect(await ada.getByTestId('chat-item').count()).toBe(0);
		await customer.getByTestId('chat-agents').getByText('Grace').waitFor();
		await shot(grace, 'grace-took-over');
		await shot(customer, 'customer-transferred');
		await Promise.all([ada, grace].map((p) => p.context().close()));
	}, 90_000);

	it('[C14] a Technical chat (button routing) in conference shows why it cannot be transferred', async () => {
		const linus = await signInAvailable(stage(), 'linus@parley.test');
		await startCustomerChat(stage(), 'Kim Button', 'Technical');
		await linus.getByTestId('offer').filter({ hasText: 'Kim Button' }).getByTestId('offer-accept').click();
		// Alone in the chat, Linus may transfer it.
		await linus.getByTestId('transfer-open').waitFor();
		expect(await linus.getByTestId('transfer-blocked').count()).toBe(0);

		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await ask(linus, 'conference', 'ada', 'Ada');
		await ada.locator('[data-testid="offer"][data-request="conference"]').getByTestId('offer-accept').click();
		for (const page of [linus, ada]) {
			await page.getByTestId('transfer-blocked').getByText('button routing').waitFor();
			expect(await page.getByTestId('transfer-open').count()).toBe(0);
		}
		await shot(linus, 'linus-transfer-blocked');
	}, 90_000);
});
