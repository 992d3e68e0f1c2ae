import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, signInAvailable, stageForFile, startCustomerChat } from './browser';

// Issue 16, "banners belong to their chat", in Chromium. Screenshots: test-results/day-banners-*.

const stage = stageForFile();
const shot = screenshots('day-banners');

const chatItem = (page: Page, name: string) => page.getByTestId('chat-item').filter({ hasText: name });

/** Ada's Conference dialog, one agent by name. */
async function askConference(page: Page, agentId: string, search: string) {
	await page.getByTestId('conference-open').click();
	const dialog = page.getByTestId('request-dialog');
	await dialog.getByTestId('request-query').fill(search);
	await dialog.locator(`[data-testid="agent-option"][data-agent-id="${agentId}"]`).click();
	await dialog.getByTestId('request-submit').click();
	await dialog.waitFor({ state: 'hidden' });
}

describe('issue 16: banners belong to their chat', () => {
	it('[#16 banners] a decline for a chat not in view is a toast naming it and a badge on it; in its chat it is a named banner; dismissed stays dismissed', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await startCustomerChat(stage(), 'Pat Decline', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Pat Decline' }).getByTestId('offer-accept').click();
		await chatItem(ada, 'Pat Decline').waitFor();
		await startCustomerChat(stage(), 'Quinn Other', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Quinn Other' }).getByTestId('offer-accept').click();
		await chatItem(ada, 'Quinn Other').waitFor();
		const linus = await signInAvailable(stage(), 'linus@parley.test');

		// Ada asks Linus into Pat's chat, then turns to Quinn's before he answers.
		await chatItem(ada, 'Pat Decline').click();
		await ada.getByTestId('conversation').getByRole('heading', { name: 'Pat Decline' }).waitFor();
		await askConference(ada, 'linus', 'Linus');
		await chatItem(ada, 'Quinn Other').click();
		await ada.getByTestId('conversation').getByRole('heading', { name: 'Quinn Other' }).waitFor();
		await linus.locator('[data-testid="offer"][data-request="conference"]').getByTestId('offer-decline').click();

		// Elsewhere: a toast that names the chat, a badge on it, nothing above Quinn's log.
		const toast = ada.getByTestId('toast').filter({ hasText: 'Chat with Pat Decline: Linus declined your conference request.' });
		await toast.waitFor();
		await chatItem(ada, 'Pat Decline').getByTestId('chat-notices').waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);
		expect(await chatItem(ada, 'Quinn Other').getByTestId('chat-notices').count()).toBe(0);
		await shot(ada, 'decline-elsewhere-toast-and-badge');

		// Open from the toast: the banner sits in Pat's chat, named; the toast has gone.
		await toast.getByTestId('toast-open').click();
		const banner = ada.getByTestId('chat-banner');
		await banner.getByText('Chat with Pat Decline: Linus declined your conference request.').waitFor();
		await toast.waitFor({ state: 'detached' });
		expect(await chatItem(ada, 'Pat Decline').getByTestId('chat-notices').count()).toBe(0);
		await shot(ada, 'decline-banner-in-its-chat');

		// Back in Quinn's chat the banner does not follow.
		await chatItem(ada, 'Quinn Other').click();
		await ada.getByTestId('conversation').getByRole('heading', { name: 'Quinn Other' }).waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);

		// Dismissed in its chat, it stays dismissed after a reload: no banner, no badge, no toast.
		await chatItem(ada, 'Pat Decline').click();
		await banner.getByRole('button', { name: /^Dismiss/ }).click();
		await banner.waitFor({ state: 'detached' });
		await ada.reload();
		await chatItem(ada, 'Pat Decline').click();
		await ada.getByTestId('conversation').getByRole('heading', { name: 'Pat Decline' }).waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);
		expect(await chatItem(ada, 'Pat Decline').getByTestId('chat-notices').count()).toBe(0);
		expect(await ada.getByTestId('toast').count()).toBe(0);
		await Promise.all([ada, linus].map((p) => p.context().close()));
	}, 90_000);
});
