import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ApiClient } from '../helpers/api';
import { screenshots, stageForFile } from './browser';

// Issue 15 (B8) in Chromium: the admin sets a topic's business hours in the topic editor at
// /admin, through PUT /api/admin/topics/:id/hours; the server's refusals show under the field they
// name; what is saved shows in the topics table, and customers are warned outside the hours.

const stage = stageForFile();
const shot = screenshots('topic-hours');

async function signInAdmin() {
	const page = await stage().open(1280, 900, '/admin');
	await page.getByTestId('login-email').fill('admin@parley.test');
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	await page.getByTestId('topics-table').waitFor();
	return page;
}
const topicRow = (page: Page, id: string) => page.locator(`[data-testid="topic-row"][data-topic-id="${id}"]`);
const day = (page: Page, d: string) => page.locator(`[data-testid="topic-hours-form"] [data-testid="hours-day"][data-day="${d}"]`);
const savedHours = async (id: string) =>
	(await new ApiClient(stage().server.url).call('GET', '/api/topics')).body.topics.find((t: { id: string }) => t.id === id).hours;

describe('[#15 B8] business hours at /admin', () => {
	it('[#15 B8] the admin sets Billing\'s hours: bad ones refused under their field, good ones saved and shown, then always open again', async () => {
		const admin = await signInAdmin();
		expect(await topicRow(admin, 'billing').getByTestId('topic-hours').textContent()).toBe('Always open');
		await topicRow(admin, 'billing').getByTestId('topic-edit').click();
		const form = admin.getByTestId('topic-hours-form');
		await form.getByTestId('hours-set').check();
		// Office hours to start from: Monday to Friday 09:00–17:00, the weekend closed.
		expect(await day(admin, 'mon').getByTestId('hours-from').inputValue()).toBe('09:00');
		expect(await day(admin, 'sun').getByTestId('hours-closed').count()).toBe(1);

		await form.getByTestId('hours-zone').fill('Mars/Olympus');
		await form.getByTestId('hours-save').click();
		await form.getByTestId('hours-zone-error').getByText('Unknown time zone "Mars/Olympus".').waitFor();
		expect(await form.getByTestId('hours-zone').getAttribute('aria-invalid')).toBe('true');

		await form.getByTestId('hours-zone').fill('Europe/Berlin');
		await day(admin, 'mon').getByTestId('hours-from').fill('17:00');
		await day(admin, 'mon').getByTestId('hours-to').fill('09:00');
		await form.getByTestId('hours-save').click();
		await day(admin, 'mon').getByTestId('hours-day-error').getByText('17:00–09:00 ends before it starts.').waitFor();
		expect(await form.getByTestId('hours-zone-error').count()).toBe(0);
		await shot(admin, 'refused');

		// Monday 08:00–12:00 and 13:00–17:00, the same Tuesday to Friday; Saturday morning.
		await day(admin, 'mon').getByTestId('hours-from').fill('08:00');
		await day(admin, 'mon').getByTestId('hours-to').fill('12:00');
		// Changing Monday's times takes its refusal away.
		await day(admin, 'mon').getByTestId('hours-day-error').waitFor({ state: 'detached' });
		await day(admin, 'mon').getByTestId('hours-add').click();
		await day(admin, 'mon').getByTestId('hours-from').nth(1).fill('13:00');
		await day(admin, 'mon').getByTestId('hours-to').nth(1).fill('17:00');
		await form.getByTestId('hours-copy-monday').click();
		await day(admin, 'sat').getByTestId('hours-add').click();
		await day(admin, 'sat').getByTestId('hours-from').fill('10:00');
		await day(admin, 'sat').getByTestId('hours-to').fill('12:00');
		await shot(admin, 'editing');
		await form.getByTestId('hours-save').click();
		await form.waitFor({ state: 'detached' });
		await topicRow(admin, 'billing').getByText('Mon–Fri 08:00–12:00, 13:00–17:00; Sat 10:00–12:00 (Europe/Berlin)').waitFor();
		const week = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['08:00', '12:00'], ['13:00', '17:00']]]));
		expect(await savedHours('billing')).toEqual({ timeZone: 'Europe/Berlin', days: { ...week, sat: [['10:00', '12:00']] } });
		await shot(admin, 'saved');

		// The editor opens on what is saved; "Always open" clears it.
		await topicRow(admin, 'billing').getByTestId('topic-edit').click();
		expect(await form.getByTestId('hours-zone').inputValue()).toBe('Europe/Berlin');
		expect(await day(admin, 'fri').getByTestId('hours-to').nth(1).inputValue()).toBe('17:00');
		await form.getByTestId('hours-always').check();
		await form.getByTestId('hours-save').click();
		await form.waitFor({ state: 'detached' });
		await expect.poll(() => topicRow(admin, 'billing').getByTestId('topic-hours').textContent()).toBe('Always open');
		expect(await savedHours('billing')).toBeNull();
		await admin.context().close();
	}, 90_000);

	it('[#15 B8] closed every day at /admin: a customer choosing the topic is warned', async () => {
		const admin = await signInAdmin();
		await topicRow(admin, 'technical').getByTestId('topic-edit').click();
		const form = admin.getByTestId('topic-hours-form');
		await form.getByTestId('hours-set').check();
		await form.getByTestId('hours-zone').fill('UTC');
		for (const d of ['mon', 'tue', 'wed', 'thu', 'fri']) await day(admin, d).getByTestId('hours-remove').click();
		expect(await form.getByTestId('hours-closed').count()).toBe(7);
		await form.getByTestId('hours-save').click();
		await topicRow(admin, 'technical').getByText('Closed every day (UTC)').waitFor();

		const customer = await stage().open(390, 844, '/chat');
		await customer.getByTestId('start-topic').selectOption({ label: 'Technical' });
		await customer.locator('[data-testid="start-topic-warning"][data-reason="closed"]').getByText('Technical is outside its support hours right now').waitFor();
		await admin.context().close();
		await customer.context().close();
	}, 60_000);
});
