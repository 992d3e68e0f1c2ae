import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStage, say, SHOTS, signInAvailable, startCustomerChat, type Stage } from './browser';

// The console's side of chat conferencing: conference offers, Leave vs End (C7/C8) and the
// decline banner (C5). The Conference dialog is later work, so the request itself is sent
// with the requester's own session from its page (the same call the dialog will make).

let stage: Stage;
beforeAll(async () => {
	stage = await openStage();
});
afterAll(async () => {
	await stage?.close();
});

async function requestConference(requester: Page, chatId: string, agentId: string) {
	const [status, body] = await requester.evaluate(
		async ([id, target]) => {
			const res = await fetch(`/api/chats/${id}/conference-requests`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ agentId: target })
			});
			return [res.status, await res.text()] as const;
		},
		[chatId, agentId] as const
	);
	expect(status, body).toBe(201);
}

describe('conference in the agent console', () => {
	it('[C4][C7][C8][C5] a conference offer joins, the guest leaves, a decline becomes a banner', async () => {
		const ada = await signInAvailable(stage, 'ada@parley.test');
		const customer = await startCustomerChat(stage, 'Sam Carter', 'Billing');
		await ada.getByTestId('offer').getByTestId('offer-accept').click();
		await ada.getByTestId('conversation').waitFor();
		const chatId = (await customer.evaluate(() => localStorage.getItem('parley.chatId'))) ?? '';

		// [C4] Grace gets a conference offer and accepts it from the console.
		const grace = await signInAvailable(stage, 'grace@parley.test');
		await requestConference(ada, chatId, 'grace');
		const offer = grace.locator('[data-testid="offer"][data-kind="conference"]');
		await offer.getByText('Ada asks you to join').waitFor();
		await offer.getByTestId('offer-accept').click();
		await grace.getByTestId('conversation').waitFor();
		await customer.getByTestId('notice').filter({ hasText: 'Grace joined the chat' }).waitFor();
		await say(grace, 'Grace here, from billing.');
		await customer.getByTestId('message').filter({ hasText: 'Grace here' }).waitFor();
		await customer.getByTestId('chat-agents').getByText('Ada, Grace').waitFor();

		// [C8] With two agents in, neither may end it: both see Leave instead.
		await ada.getByTestId('leave-conversation').waitFor();
		expect(await ada.getByTestId('end-conversation').count()).toBe(0);
		await ada.screenshot({ path: join(SHOTS, 'agent-conference.png') });

		// [C7] Grace leaves; the chat leaves her list, and Ada is the last agent again.
		await grace.getByTestId('leave-conversation').click();
		await grace.getByTestId('confirm-leave').click();
		await grace.getByTestId('console-banner').getByText('You left the chat with Sam Carter.').waitFor();
		expect(await grace.getByTestId('chat-item').count()).toBe(0);
		await customer.getByTestId('notice').filter({ hasText: 'Grace left the chat' }).waitFor();
		await ada.getByTestId('end-conversation').waitFor();

		// [C5] A declined request is a dismissible banner above Ada's log, not a log line.
		await requestConference(ada, chatId, 'grace');
		await grace.locator('[data-testid="offer"][data-kind="conference"]').getByTestId('offer-decline').click();
		const banner = ada.getByTestId('chat-banner');
		await banner.getByText('declined').waitFor();
		await banner.getByRole('button', { name: 'Dismiss' }).click();
		await banner.waitFor({ state: 'detached' });
		await ada.reload();
		await ada.getByTestId('conversation').waitFor();
		expect(await ada.getByTestId('chat-banner').count()).toBe(0);
	}, 90_000);
});
