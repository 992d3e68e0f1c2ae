import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageForFile, say, SHOTS, signInAvailable, startCustomerChat } from './browser';

// End to end: a customer (phone) and agents (desktop) in one real browser, against the real
// server with a fresh database. Needs the built web app (`npm test` builds first).

const stage = stageForFile();

describe('customer and agent', () => {
	it('[L1] a Billing chat reaches the one available agent, both talk, the agent ends it', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');

		// The customer starts a Billing chat and waits.
		const customer = await startCustomerChat(stage(), 'Sam Carter', 'Billing');
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
		await say(customer, 'Hi, my invoice is charged twice.');
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
		await say(customer, 'Thanks!');
		await agent.getByTestId('message').filter({ hasText: 'Thanks!' }).waitFor();
		await customer.screenshot({ path: join(SHOTS, 'customer-chat.png') });

		// The agent ends the conversation; the customer sees the end and a way to start again.
		await agent.getByTestId('end-conversation').click();
		await agent.getByTestId('confirm-end').click();
		await customer.getByTestId('chat-ended').waitFor();
		await customer.getByTestId('new-chat').waitFor();
		await expect.poll(() => customer.getByTestId('composer').count()).toBe(0);
		expect(await customer.getByTestId('message').count()).toBeGreaterThanOrEqual(3);
		await agent.getByTestId('toast').getByText('The chat with Sam Carter has ended.').waitFor();
		await customer.screenshot({ path: join(SHOTS, 'customer-ended.png') });

		// After the end the transcript survives a reload, read-only.
		await customer.reload();
		await customer.getByTestId('chat-ended').waitFor();
		await customer.getByTestId('message').filter({ hasText: 'Thanks!' }).waitFor();
		expect(await customer.getByTestId('composer').count()).toBe(0);

		// "Start a new chat" forgets the old one and shows the form again.
		await customer.getByTestId('new-chat').click();
		await customer.getByTestId('start-form').waitFor();
		expect(await customer.evaluate(() => localStorage.getItem('parley.chatId'))).toBeNull();
		await agent.context().close();
	}, 90_000);

	it('[L1] a Technical chat is offered to every available tech agent and only one gets it', async () => {
		const agents = await Promise.all(
			['linus@parley.test', 'margaret@parley.test'].map((email) => signInAvailable(stage(), email, 1024, 768))
		);
		const customer = await startCustomerChat(stage(), 'Kim Button', 'Technical');
		for (const a of agents) await a.getByTestId('offer').filter({ hasText: 'Kim Button' }).waitFor();

		// Both press Accept at once (the `a` shortcut); exactly one wins.
		await Promise.all(agents.map((a) => a.keyboard.press('a')));
		await expect
			.poll(async () => (await Promise.all(agents.map((a) => a.getByTestId('chat-item').count()))).join())
			.toMatch(/^(1,0|0,1)$/);
		const loser = (await agents[0].getByTestId('chat-item').count()) ? agents[1] : agents[0];
		// The loser either saw the offer withdrawn or was told it was taken; no chat either way.
		await loser.getByTestId('offer').filter({ hasText: 'Kim Button' }).waitFor({ state: 'detached' });
		const banner = loser.getByTestId('toast');
		if (await banner.count()) expect(await banner.first().textContent()).toContain('Another agent took the chat with Kim Button');
		await expect.poll(() => customer.getByTestId('chat-agents').locator('.avatar').count()).toBe(1);
	}, 90_000);

	it('[T2] a customer named like a staff member is told under the name field what to do, and starts with an initial', async () => {
		const page = await stage().open(390, 844, '/chat');
		await page.getByTestId('start-name').fill('Ada');
		await page.getByTestId('start-email').fill('ada.l@example.com');
		await page.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await page.getByTestId('start-submit').click();
		const error = page.locator('#start-name-error');
		await error.getByText('someone on our team').waitFor();
		expect(await error.textContent()).toMatch(/add your surname or an initial/);
		expect(await page.getByTestId('chat-view').count()).toBe(0);
		await page.getByTestId('start-name').fill('Ada L.');
		await page.getByTestId('start-submit').click();
		await page.getByTestId('chat-view').waitFor();
	}, 60_000);
});
