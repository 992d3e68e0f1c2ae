import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { say, screenshots, signInAvailable, stageForFile, startCustomerChat } from './browser';

// Issue 16, "banners belong to their chat", in Chromium. Screenshots: test-results/day-banners-*.

const stage = stageForFile();
const shot = screenshots('day-banners');

const chatItem = (page: Page, name: string) => page.getByTestId('chat-item').filter({ hasText: name });

/** Ada's Conference dialog, one agent by name. */
async function askConference(page: Page, agentId: string, search: string, note?: string) {
	await page.getByTestId('conference-open').click();
	const dialog = page.getByTestId('request-dialog');
	await dialog.getByTestId('request-query').fill(search);
	await dialog.locator(`[data-testid="agent-option"][data-agent-id="${agentId}"]`).click();
	if (note) await dialog.getByTestId('request-note').fill(note);
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

	it('[#16 banners] a banner of a chat no longer in my list waits in the sidebar, named, across a reload, until dismissed', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await startCustomerChat(stage(), 'Pat Gone', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Pat Gone' }).getByTestId('offer-accept').click();
		await ada.getByTestId('conversation').getByRole('heading', { name: 'Pat Gone' }).waitFor();
		const linus = await signInAvailable(stage(), 'linus@parley.test');
		await askConference(ada, 'linus', 'Linus');
		await linus.locator('[data-testid="offer"][data-request="conference"]').getByTestId('offer-decline').click();
		await ada.getByTestId('chat-banner').getByText('Linus declined your conference request.').waitFor();

		// Ada ends the chat (her own doing: no wrap-up) without dismissing the banner.
		await ada.getByTestId('end-conversation').click();
		await ada.getByTestId('confirm-end').click();
		await chatItem(ada, 'Pat Gone').waitFor({ state: 'detached' });
		const notice = ada.getByTestId('left-chat-notice');
		await notice.getByText('Chat with Pat Gone: Linus declined your conference request.').waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);
		await shot(ada, 'left-chat-notice');

		// After a reload it is still there (the name is gone with the chat), until dismissed.
		await ada.reload();
		await notice.getByText('A chat you left: Linus declined your conference request.').waitFor();
		await notice.getByRole('button', { name: /^Dismiss/ }).click();
		await notice.waitFor({ state: 'detached' });
		await ada.reload();
		// The list has loaded (no skeleton): its chats (other tests' here) or its empty state show.
		await ada.getByTestId('chat-item').first().or(ada.getByText(/^No chats/)).waitFor();
		expect(await notice.count()).toBe(0);
		await Promise.all([ada, linus].map((p) => p.context().close()));
	}, 90_000);

	it('[#16 conference] a note with the request and the customer’s last message on the offer card; a reason with the decline in the requester’s banner', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const sam = await startCustomerChat(stage(), 'Sam Notes', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Sam Notes' }).getByTestId('offer-accept').click();
		await ada.getByTestId('conference-open').waitFor();
		await say(sam, 'The router blinks red since Tuesday');
		await ada.getByTestId('message').filter({ hasText: 'blinks red' }).waitFor();
		const linus = await signInAvailable(stage(), 'linus@parley.test');

		// A note over one line is refused in the dialog before it is sent.
		await ada.getByTestId('conference-open').click();
		await ada.getByTestId('request-note').fill('x\u202Eevil');
		await ada.getByTestId('request-note-error').waitFor();
		await ada.getByRole('button', { name: 'Cancel' }).click();
		await askConference(ada, 'linus', 'Linus', 'Router trouble, your area');

		const offer = linus.locator('[data-testid="offer"][data-request="conference"]');
		await offer.getByTestId('offer-note').getByText('Router trouble, your area').waitFor();
		await offer.getByTestId('offer-last-message').getByText('The router blinks red since Tuesday').waitFor();
		await offer.getByTestId('offer-decline-reason').click();
		await offer.getByTestId('offer-reason').fill('On a call for ten minutes');
		await shot(linus, 'offer-note-and-reason');
		await offer.getByTestId('offer-reason-submit').click();
		await offer.waitFor({ state: 'detached' });

		await ada.getByTestId('chat-banner')
			.getByText('Chat with Sam Notes: Linus declined your conference request. Reason: “On a call for ten minutes”').waitFor();
		await shot(ada, 'decline-reason-banner');
		await Promise.all([ada, linus, sam].map((p) => p.context().close()));
	}, 90_000);
});
