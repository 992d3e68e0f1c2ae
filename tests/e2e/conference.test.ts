import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, stageForFile, say, signInAvailable, startCustomerChat } from './browser';

// Chat conferencing as people do it (issue 3, SPEC C1–C8, C15), four browser contexts: the
// customer on a phone, Ada, Grace and Linus at desks; then Margaret, whose configuration
// (Restricted) has Enable Chat Conference off. Screenshots of each step: test-results/conference-*.

const stage = stageForFile();
const shot = screenshots('conference');

/** Ada's Conference dialog: one agent by name, or every agent with a skill (C2, C3). */
async function sendRequest(page: Page, target: { agent: string; search: string } | { skill: string }, name?: string) {
	await page.getByTestId('conference-open').click();
	const dialog = page.getByTestId('request-dialog');
	await dialog.waitFor();
	if ('agent' in target) {
		await dialog.getByTestId('request-query').fill(target.search);
		await dialog.locator(`[data-testid="agent-option"][data-agent-id="${target.agent}"]`).click();
	} else {
		await dialog.getByTestId('target-skill').check();
		await dialog.locator(`[data-testid="skill-option"][data-skill="${target.skill}"]`).click();
	}
	if (name) await shot(page, name);
	await dialog.getByTestId('request-submit').click();
	await dialog.waitFor({ state: 'hidden' });
}

const notice = (page: Page, text: string) => page.getByTestId('notice').filter({ hasText: text }).waitFor();
const conferenceOffer = (page: Page) => page.locator('[data-testid="offer"][data-request="conference"]');

describe('chat conferencing in the browser', () => {
	it('[C1][C2][C3][C4][C5][C6][C7][C8][C15] Ada conferences Grace and a tech agent in; they leave; the last one ends', async () => {
		// Ada takes a Billing chat (omni: she is the only available billing agent yet).
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const customer = await startCustomerChat(stage(), 'Sam Carter', 'Billing');
		await ada.getByTestId('offer').getByTestId('offer-accept').click();
		await ada.getByTestId('conference-open').waitFor();
		await say(customer, 'Hi, I was charged twice and my router is acting up.');
		const grace = await signInAvailable(stage(), 'grace@parley.test');
		const linus = await signInAvailable(stage(), 'linus@parley.test');
		await shot(ada, 'ada-chat-with-conference-control');

		// [C1][C2] Ada invites Grace by name; the request waits as a chip with its countdown.
		await sendRequest(ada, { agent: 'grace', search: 'gra' }, 'ada-dialog-grace');
		const chip = ada.getByTestId('pending-request').filter({ hasText: 'Grace' });
		await chip.waitFor();
		expect(await chip.locator('time').textContent()).toMatch(/^[01]:\d\d$/);
		const offer = conferenceOffer(grace);
		await offer.getByText('Ada asks you to join').waitFor();
		await shot(grace, 'grace-offer');

		// [C4][C6] Grace accepts: she joins at once; Ada and the customer see the notice.
		await offer.getByTestId('offer-accept').click();
		await grace.getByTestId('conversation').waitFor();
		await notice(ada, 'Grace joined the chat');
		await notice(customer, 'Grace joined the chat');
		await chip.waitFor({ state: 'detached' });
		await say(grace, 'Grace here, from billing.');
		await customer.getByTestId('message').filter({ hasText: 'Grace here' }).waitFor();
		await shot(ada, 'ada-grace-joined');
		await shot(customer, 'customer-grace-joined');

		// [C15] Ada asks Linus by name, then cancels: his offer vanishes, Ada sees the outcome.
		await sendRequest(ada, { agent: 'linus', search: 'Linus' });
		await conferenceOffer(linus).waitFor();
		await shot(ada, 'ada-pending-linus');
		await ada.getByTestId('pending-request').filter({ hasText: 'Linus' }).getByTestId('pending-cancel').click();
		await conferenceOffer(linus).waitFor({ state: 'detached' });
		await ada.locator('[data-testid="chat-banner"][data-kind="cancelled"]').getByText('You cancelled').waitFor();

		// [C5] Asked again, Linus declines: a banner above Ada's log, not a line in it.
		await sendRequest(ada, { agent: 'linus', search: 'Linus' });
		await conferenceOffer(linus).getByTestId('offer-decline').click();
		const declined = ada.locator('[data-testid="chat-banner"][data-kind="declined"]');
		await declined.getByText('Linus declined your conference request.').waitFor();
		expect(await ada.getByTestId('notice').filter({ hasText: 'declined' }).count()).toBe(0);
		expect(await customer.getByText('declined').count()).toBe(0);
		await shot(ada, 'ada-declined-banner');
		await declined.getByRole('button', { name: 'Dismiss' }).click();
		await declined.waitFor({ state: 'detached' });
		await ada.getByTestId('chat-banner').getByRole('button', { name: 'Dismiss' }).click();
		await ada.getByTestId('chat-banner').waitFor({ state: 'detached' });

		// [C2][C3] A second request, to every available agent with tech: Linus takes it.
		await sendRequest(ada, { skill: 'tech' }, 'ada-dialog-skill');
		await ada.getByTestId('pending-request').filter({ hasText: 'all agents with tech' }).waitFor();
		const skillOffer = conferenceOffer(linus);
		await skillOffer.getByText('Ada asks a tech agent to join').waitFor();
		await skillOffer.getByTestId('offer-accept').click();
		await notice(ada, 'Linus joined the chat');
		await notice(customer, 'Linus joined the chat');
		await customer.getByTestId('chat-agents').getByText('Ada, Grace, Linus').waitFor();
		await shot(linus, 'linus-joined');
		await shot(customer, 'customer-three-agents');

		// [C7] Grace leaves: she loses the chat; everyone else sees the notice.
		await grace.getByTestId('leave-conversation').click();
		await grace.getByTestId('confirm-leave').click();
		await grace.getByTestId('toast').getByText('You left the chat with Sam Carter.').waitFor();
		expect(await grace.getByTestId('chat-item').count()).toBe(0);
		for (const page of [ada, linus, customer]) await notice(page, 'Grace left the chat');

		// [C8] Ada leaves too; Linus is the last agent: he cannot leave, he ends the chat.
		await ada.getByTestId('leave-conversation').click();
		await ada.getByTestId('confirm-leave').click();
		await notice(linus, 'Ada left the chat');
		await linus.getByTestId('end-conversation').waitFor();
		await linus.getByTestId('last-agent-note').waitFor();
		expect(await linus.getByTestId('leave-conversation').count()).toBe(0);
		await shot(linus, 'linus-last-agent');
		await linus.getByTestId('end-conversation').click();
		await linus.getByTestId('confirm-end').click();
		await customer.getByTestId('chat-ended').waitFor();
		await linus.getByTestId('toast').getByText('The chat with Sam Carter has ended.').waitFor();
		await shot(customer, 'customer-ended');

		// A dismissed banner stays dismissed: Ada's console after a reload has none.
		await ada.reload();
		await ada.getByTestId('presence-available').waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);
	}, 120_000);

	it('[C1] Margaret (Restricted: conferencing off) has no Conference control', async () => {
		const margaret = await signInAvailable(stage(), 'margaret@parley.test');
		await startCustomerChat(stage(), 'Kim Button', 'Technical');
		await margaret.getByTestId('offer').filter({ hasText: 'Kim Button' }).getByTestId('offer-accept').click();
		await margaret.getByTestId('end-conversation').waitFor();
		expect(await margaret.getByTestId('conference-open').count()).toBe(0);
		await shot(margaret, 'margaret-no-conference');
	}, 60_000);
});
