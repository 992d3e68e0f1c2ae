import { describe, expect, it } from 'vitest';
import { signIn } from '../helpers/api';
import { screenshots, signInAvailable, stageForFile, startCustomerChat } from './browser';

// Issue 16, "canned replies", in Chromium: `/` in the composer, a search, placeholders filled,
// personal replies managed by the agent, a team-wide one changed by an admin counting at once.
// Screenshots: test-results/day-canned-*.

const stage = stageForFile();
const shot = screenshots('day-canned');

describe('issue 16: canned replies', () => {
	it('[#16 canned] `/` lists team and personal replies, a search narrows them, Enter inserts with {customer} and {agent} filled', async () => {
		const admin = await signIn(stage().server, 'admin@parley.test');
		const team = await admin.call('POST', '/api/canned-replies', { scope: 'team', title: 'Greeting', body: 'Hi {customer}, {agent} here. How can I help?' });
		expect(team.status).toBe(201);

		const ada = await signInAvailable(stage(), 'ada@parley.test');
		const pat = await startCustomerChat(stage(), 'Pat Canned', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Pat Canned' }).getByTestId('offer-accept').click();
		await ada.getByTestId('end-conversation').waitFor();
		const composer = ada.getByTestId('composer');
		const picker = ada.getByTestId('canned-picker');

		await composer.fill('/');
		await picker.getByTestId('canned-option').filter({ hasText: 'Greeting' }).waitFor();
		await shot(ada, 'picker-open');

		// Ada adds a personal reply from the list.
		await picker.getByTestId('canned-manage').click();
		const dialog = ada.getByTestId('canned-dialog');
		await dialog.getByTestId('canned-title').fill('Refund time');
		await dialog.getByTestId('canned-body').fill('Sorry {customer}, refunds take five days. {agent}');
		await dialog.getByTestId('canned-save').click();
		await dialog.getByTestId('canned-row').filter({ hasText: 'Refund time' }).waitFor();
		await shot(ada, 'my-replies');
		await dialog.getByRole('button', { name: 'Done' }).click();

		// A search narrows the list; Enter inserts the filled text, and a second Enter sends it.
		await composer.fill('/refund');
		const options = picker.getByTestId('canned-option');
		await options.filter({ hasText: 'Refund time' }).waitFor();
		expect(await options.count()).toBe(1);
		expect(await options.first().getAttribute('data-scope')).toBe('personal');
		await composer.press('Enter');
		await expect.poll(() => composer.inputValue()).toBe('Sorry Pat Canned, refunds take five days. Ada');
		await picker.waitFor({ state: 'detached' });
		await composer.press('Enter');
		await pat.getByTestId('message').filter({ hasText: 'Sorry Pat Canned, refunds take five days. Ada' }).waitFor();

		// Nothing matches: said so. Escape closes the list and leaves the text.
		await composer.fill('/nothing like it');
		await picker.getByTestId('canned-none').waitFor();
		await composer.press('Escape');
		await picker.waitFor({ state: 'detached' });
		expect(await composer.inputValue()).toBe('/nothing like it');

		// The admin renames the team reply: the next `/` shows the new name.
		expect((await admin.call('PUT', `/api/canned-replies/${team.body.reply.id}`, { title: 'Welcome' })).status).toBe(200);
		await composer.fill('/');
		await picker.getByTestId('canned-option').filter({ hasText: 'Welcome' }).waitFor();
		// Personal replies come first: ↓ moves to the team's, Tab inserts it.
		await composer.press('ArrowDown');
		const chosen = picker.locator('[data-testid="canned-option"][aria-selected="true"]').filter({ hasText: 'Welcome' });
		await chosen.waitFor();
		// Focus stays in the composer; a screen reader hears the choice through aria-activedescendant.
		await expect.poll(async () => composer.getAttribute('aria-activedescendant')).toBe(await chosen.getAttribute('id'));
		expect(await composer.getAttribute('aria-controls')).toBe(await picker.getByRole('listbox').getAttribute('id'));
		await composer.press('Tab');
		await expect.poll(() => composer.inputValue()).toBe('Hi Pat Canned, Ada here. How can I help?');
		await expect.poll(() => composer.getAttribute('aria-activedescendant')).toBe(null);
		await Promise.all([ada, pat].map((p) => p.context().close()));
	}, 90_000);
});
