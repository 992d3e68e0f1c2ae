import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { signInAvailable, startCustomerChat, stageForFile, SHOTS } from './browser';

// /admin (issue 3, C1): chat configurations — Enable Chat Conference, request timeout, assigned
// agents. Editing needs Customize Application; others see the page read-only with the reason.

const stage = stageForFile();

async function signIn(email: string) {
	const page = await stage().open(1280, 800, '/admin');
	await page.getByRole('heading', { name: 'Admin sign-in' }).waitFor();
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	await page.getByTestId('config-table').waitFor();
	return page;
}

const row = (page: Page, id: string) => page.locator(`[data-testid="config-row"][data-config-id="${id}"]`);

describe('admin: chat configurations', () => {
	it('[C1] the admin turns conferencing on for Restricted; a bad timeout is refused under its field', async () => {
		const admin = await signIn('admin@parley.test');
		expect(await row(admin, 'restricted').getByTestId('config-conference').textContent()).toContain('Off');
		expect(await row(admin, 'restricted').textContent()).toContain('Margaret');

		await row(admin, 'restricted').getByTestId('config-edit').click();
		const editor = admin.getByTestId('config-editor');
		await editor.getByTestId('config-conference-input').check();
		await editor.getByTestId('config-timeout-input').fill('5');
		await editor.getByTestId('config-save').click();
		await editor.getByTestId('config-timeout-error').getByText('At least 10 seconds').waitFor();
		expect(await editor.getByTestId('config-timeout-input').getAttribute('aria-invalid')).toBe('true');
		await admin.screenshot({ path: join(SHOTS, 'admin-01-field-error.png'), animations: 'disabled' });

		await editor.getByTestId('config-timeout-input').fill('30');
		await editor.getByTestId('config-save').click();
		await editor.waitFor({ state: 'detached' });
		await row(admin, 'restricted').getByTestId('config-conference').getByText('On').waitFor();
		expect(await row(admin, 'restricted').getByTestId('config-timeout').textContent()).toBe('30 s');
		await admin.screenshot({ path: join(SHOTS, 'admin-02-saved.png'), animations: 'disabled' });

		// Margaret's configuration now allows conferencing (C1 at the API).
		const me = await admin.evaluate(async () => {
			await fetch('/api/auth/logout', { method: 'POST' });
			await fetch('/api/auth/login', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ email: 'margaret@parley.test', password: 'parley-demo' })
			});
			return (await (await fetch('/api/me')).json()).user;
		});
		expect(me.chatConfiguration.conferenceEnabled).toBe(true);
	}, 60_000);

	it('[C1] without Customize Application the page is read-only and says why', async () => {
		const auditor = await signIn('audit@parley.test');
		await auditor.getByTestId('read-only').getByText('Customize Application').waitFor();
		expect(await auditor.getByTestId('config-edit').count()).toBe(0);
		await auditor.screenshot({ path: join(SHOTS, 'admin-03-read-only.png'), animations: 'disabled' });
	}, 60_000);

	it('[#16 live configuration] turning conferencing off reaches an open console at once, which says why', async () => {
		const ada = await signInAvailable(stage(), 'ada@parley.test');
		await startCustomerChat(stage(), 'Robin Live', 'Billing');
		await ada.getByTestId('offer').filter({ hasText: 'Robin Live' }).getByTestId('offer-accept').click();
		await ada.getByTestId('conference-open').waitFor();
		expect(await ada.getByTestId('conference-off').count()).toBe(0);

		const admin = await signIn('admin@parley.test');
		await row(admin, 'default').getByTestId('config-edit').click();
		const editor = admin.getByTestId('config-editor');
		await editor.getByTestId('config-conference-input').uncheck();
		await editor.getByTestId('config-save').click();
		await editor.waitFor({ state: 'detached' });

		// No reload: Ada's own agent document carried the change.
		await ada.getByTestId('conference-off').getByText('Your chat configuration (Default) has Enable Chat Conference off').waitFor();
		expect(await ada.getByTestId('conference-open').count()).toBe(0);
		await ada.screenshot({ path: join(SHOTS, 'admin-04-live-conference-off.png'), animations: 'disabled' });

		await row(admin, 'default').getByTestId('config-edit').click();
		await editor.getByTestId('config-conference-input').check();
		await editor.getByTestId('config-save').click();
		await ada.getByTestId('conference-open').waitFor();
		expect(await ada.getByTestId('conference-off').count()).toBe(0);
	}, 90_000);
});
