import { describe, expect, it } from 'vitest';
import { say, screenshots, stageForFile, startCustomerChat } from './browser';
import { conference } from './huddle-stage';

// B2 "a whisper can mention an agent, which notifies that agent": Grace is looking at another
// chat when Ada mentions her in the conference's huddle. Screenshots: test-results/huddle-mention-*.

const stage = stageForFile();
const shot = screenshots('huddle-mention');

describe('[B2] a mention reaches an agent who is looking elsewhere', () => {
	it('[#14 B2] @Grace in a whisper of a chat Grace is not looking at: a note naming who and where, the tab title, Open takes her there', async () => {
		const { ada, grace } = await conference(stage());
		// Grace takes a chat of her own (Ada is busy, so Billing's next chat is offered to Grace).
		await ada.getByTestId('presence-busy').click();
		await ada.locator('[data-testid="presence-busy"][aria-pressed="true"]').waitFor();
		await startCustomerChat(stage(), 'Quinn Elsewhere', 'Billing');
		await grace.getByTestId('offer').filter({ hasText: 'Quinn Elsewhere' }).getByTestId('offer-accept').click();
		await grace.getByTestId('conversation').getByRole('heading', { name: 'Quinn Elsewhere' }).waitFor();
		expect(await grace.getByTestId('mention-note').count()).toBe(0);

		await ada.getByTestId('composer').click();
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="whisper"]').waitFor();
		await say(ada, '@Grace can you check the refund on this one?');

		const note = grace.getByTestId('mention-note');
		await note.getByText('Ada mentioned you in a whisper in the chat with Pat Lee').waitFor();
		await expect.poll(() => grace.title()).toMatch(/^\(@1\) /);
		await shot(grace, 'note-in-another-chat');

		await note.getByTestId('mention-open').click();
		await grace.getByTestId('conversation').getByRole('heading', { name: 'Pat Lee' }).waitFor();
		await grace.locator('[data-testid="whisper"][data-mention="me"]').filter({ hasText: 'check the refund' }).waitFor();
		await note.waitFor({ state: 'detached' });
		await expect.poll(() => grace.title()).not.toMatch(/@/);
		await shot(grace, 'opened-from-note');
	}, 90_000);
});
