import { readFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestSmtp } from '../helpers/smtp';
import { screenshots, say, signInAvailable, stageForFile, startCustomerChat } from './browser';

// B8 end to end (issue 15 part 2): nobody left hanging. A customer with nobody online leaves a
// message, an agent answers later and the test SMTP server receives the reply; the customer rates
// the chat and the agent sees the rating; waiting customers see their queue position move.

let smtp: Awaited<ReturnType<typeof startTestSmtp>>;
const stage = stageForFile(async () => {
	smtp = await startTestSmtp();
	return { queue: { refreshMs: 200 }, mail: { smtpUrl: smtp.url, from: 'Support <support@parley.test>' } };
});
afterAll(() => smtp?.stop());
const shot = screenshots('hanging');

describe('[B8] nobody left hanging', () => {
	it('[B8] nobody online: the customer leaves a message, an agent answers later, the reply is emailed; then the chat is rated', async () => {
		const customer = await startCustomerChat(stage(), 'Robin Hale', 'Billing');
		const form = customer.getByTestId('leave-message');
		await form.getByText('No agent is available right now.').waitFor();
		// SMTP is set up here: the offer promises an email.
		await form.getByText("Leave a message and we'll reply by email.").waitFor();
		await shot(customer, 'nobody-online');

		// A bad email is caught before sending; then the message goes.
		await customer.getByTestId('leave-email').fill('robin@');
		await customer.getByTestId('leave-text').fill('My invoice 42 is charged twice.');
		await customer.getByTestId('leave-submit').click();
		await form.getByRole('alert').getByText('Enter an email like').waitFor();
		await customer.getByTestId('leave-email').fill('robin.hale@example.com');
		await customer.getByTestId('leave-submit').click();
		await customer.getByTestId('message-left').getByText('here, also if you close this page and come back, and by email.').waitFor();
		await customer.getByTestId('message').filter({ hasText: 'charged twice' }).waitFor();
		await shot(customer, 'message-left');

		// An agent comes online later: the left message is offered like any waiting chat.
		const agent = await signInAvailable(stage(), 'ada@parley.test');
		const offer = agent.getByTestId('offer').filter({ hasText: 'Robin Hale' });
		await offer.waitFor();
		await offer.getByTestId('offer-accept').click();
		await agent.getByTestId('conversation-left-message').waitFor();
		await say(agent, 'Refunded one charge: see https://example.com/refunds/42 for details.');

		// The reply reaches the customer's email (and the page, if it is still open), link and all.
		await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(1);
		expect(smtp.mails[0].to).toEqual(['robin.hale@example.com']);
		expect(smtp.mails[0].decoded).toContain('Refunded one charge');
		expect(smtp.mails[0].decoded).toContain('My invoice 42 is charged twice.');
		const link = customer.getByTestId('message').filter({ hasText: 'Refunded one charge' }).getByRole('link');
		await link.waitFor();
		expect(await link.getAttribute('href')).toBe('https://example.com/refunds/42');
		expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
		expect(await link.getAttribute('target')).toBe('_blank');
		await shot(customer, 'reply-with-link');
		await shot(agent, 'agent-left-message');

		// The agent ends the chat; the customer rates it; the agent sees the rating.
		await agent.getByTestId('end-conversation').click();
		await agent.getByTestId('confirm-end').click();
		await customer.getByTestId('rate-chat').waitFor();
		await customer.getByTestId('rate-submit').click();
		await customer.getByTestId('rate-chat').getByRole('alert').getByText('Pick from 1 to 5 stars.').waitFor();
		await customer.getByTestId('rate-score-4').check({ force: true });
		await customer.getByTestId('rate-comment').fill('Quick answer, thanks');
		await shot(customer, 'rating');
		await customer.getByTestId('rate-submit').click();
		await customer.getByTestId('rated').waitFor();
		await customer.getByTestId('transcript-actions').waitFor();
		await shot(customer, 'rated');
		// Ada's console tells her once (a toast), and her wrap-up view of the chat shows it too.
		await agent.getByTestId('toast').filter({ hasText: 'Robin Hale rated the chat 4 of 5: “Quick answer, thanks”' }).waitFor();
		await shot(agent, 'agent-sees-rating');

		// The transcript by email (SMTP is set up here).
		await customer.getByTestId('email-transcript').click();
		await customer.getByTestId('transcript-note').getByText('Sent to r•••@example.com.').waitFor();
		await expect.poll(() => smtp.mails.length, { timeout: 15_000 }).toBe(2);
		await agent.context().close();
		await customer.context().close();
	}, 120_000);

	it('[B8] waiting customers see their position and it moves up when a chat ahead is taken', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');
		const first = await startCustomerChat(stage(), 'Alex First', 'Billing');
		const second = await startCustomerChat(stage(), 'Blair Second', 'Billing');
		await first.getByTestId('queue-position').getByText('1', { exact: true }).waitFor();
		await second.getByTestId('queue-position').getByText('2', { exact: true }).waitFor();
		// The one earlier chat gives the median: an estimate is shown.
		await second.getByTestId('queue-status').getByText('Estimated wait').waitFor();
		await shot(second, 'queue-position-2');

		const offer = agent.getByTestId('offer').filter({ hasText: 'Alex First' });
		await offer.waitFor();
		await offer.getByTestId('offer-accept').click();
		await first.getByTestId('waiting').waitFor({ state: 'detached' });
		await second.getByTestId('queue-position').getByText('1', { exact: true }).waitFor();
		await shot(second, 'queue-position-1');

		// The customer gives up and ends it (the dialog loads on the first press); the transcript
		// downloads as text and as an HTML page with every value escaped.
		await say(second, '<img src=x onerror=alert(1)> see https://example.com/x');
		await second.locator('[data-testid="message"][data-own="true"]', { hasText: 'onerror' }).waitFor();
		await second.getByTestId('end-chat').click();
		await second.getByTestId('confirm-end').click();
		await second.getByTestId('chat-ended').waitFor();
		const [html] = await Promise.all([second.waitForEvent('download'), second.getByTestId('save-html').click()]);
		expect(html.suggestedFilename()).toBe('parley-chat.html');
		const page = await readFile((await html.path())!, 'utf8');
		expect(page).toContain('&lt;img src=x onerror=alert(1)&gt; see https://example.com/x');
		expect(page).not.toContain('<img');
		const [text] = await Promise.all([second.waitForEvent('download'), second.getByTestId('save-text').click()]);
		expect(await readFile((await text.path())!, 'utf8')).toContain('Blair Second: <img src=x onerror=alert(1)> see https://example.com/x');
		await shot(second, 'ended-by-customer');
	}, 90_000);
});
