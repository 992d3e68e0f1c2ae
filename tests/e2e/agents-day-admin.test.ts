import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, stageForFile } from './browser';

// Issue 16, "admin", in Chromium: a new configuration, a new agent on it, a new topic with a new
// skill, a team canned reply, a refusal under the form, a deactivation — and the new agent gets
// a chat on the new topic at once. Screenshots: test-results/day-admin-*.

const stage = stageForFile();
const shot = screenshots('day-admin');

async function signInAt(path: string, email: string, password = 'parley-demo') {
	const page = await stage().open(1280, 900, path);
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill(password);
	await page.getByTestId('login-submit').click();
	return page;
}

const agentRow = (page: Page, name: string) => page.getByTestId('agent-row').filter({ hasText: name });

describe('issue 16: the admin console', () => {
	it('[#16 admin] the admin adds a configuration, an agent, a topic and a team reply; refusals show under the form; changes count at once', async () => {
		const admin = await signInAt('/admin', 'admin@parley.test');
		await admin.getByTestId('agents-table').waitFor();

		await admin.getByTestId('config-new').click();
		await admin.getByTestId('config-new-name').fill('Nights');
		await admin.getByTestId('config-new-save').click();
		await admin.getByTestId('config-row').filter({ hasText: 'Nights' }).waitFor();

		// An email in use is refused, with the field named; nothing is added.
		await admin.getByTestId('agent-new').click();
		const form = admin.getByTestId('agent-form');
		await form.getByTestId('agent-name').fill('Nadia Night');
		await form.getByTestId('agent-email').fill('ada@parley.test');
		await form.getByTestId('agent-skills').fill('returns');
		await form.getByTestId('agent-configuration').selectOption({ label: 'Nights' });
		await form.getByTestId('agent-password').fill('a long password');
		await form.getByTestId('agent-save').click();
		await form.getByTestId('agent-error').getByText('email: another user has this email').waitFor();
		await shot(admin, 'agent-refused');
		await form.getByTestId('agent-email').fill('nadia@parley.test');
		await form.getByTestId('agent-save').click();
		await agentRow(admin, 'Nadia Night').getByText('Nights').waitFor();

		await admin.getByTestId('topic-new').click();
		await admin.getByTestId('topic-name').fill('Returns');
		await admin.getByTestId('topic-skill').fill('returns');
		await admin.getByTestId('topic-save').click();
		await admin.getByTestId('topic-row').filter({ hasText: 'Returns' }).waitFor();

		const canned = admin.locator('[data-testid="canned-editor"][data-scope="team"]');
		await canned.getByTestId('canned-title').fill('Welcome');
		await canned.getByTestId('canned-body').fill('Hi {customer}, {agent} here.');
		await canned.getByTestId('canned-save').click();
		await canned.getByTestId('canned-row').filter({ hasText: 'Welcome' }).waitFor();

		// Grace is deactivated.
		await agentRow(admin, 'Grace').getByTestId('agent-edit').click();
		await admin.getByTestId('agent-form').getByTestId('agent-active').uncheck();
		await admin.getByTestId('agent-form').getByTestId('agent-save').click();
		await agentRow(admin, 'Grace').getByTestId('agent-status').getByText('Inactive').waitFor();
		// Linus becomes a supervisor (B6): tagged so in the list.
		await agentRow(admin, 'Linus').getByTestId('agent-edit').click();
		await admin.getByTestId('agent-form').getByTestId('agent-role').selectOption('supervisor');
		await admin.getByTestId('agent-form').getByTestId('agent-save').click();
		await agentRow(admin, 'Linus').getByTestId('agent-role-tag').getByText('Supervisor').waitFor();
		await shot(admin, 'team');

		// Nadia signs in and takes a Returns chat at once.
		const nadia = await signInAt('/agent', 'nadia@parley.test', 'a long password');
		await nadia.getByTestId('presence-available').click();
		await nadia.locator('[data-testid="presence-available"][aria-pressed="true"]').waitFor();
		const kim = await stage().open(390, 844, '/chat');
		await kim.getByTestId('start-name').fill('Kim Return');
		await kim.getByTestId('start-email').fill('kim@example.com');
		await kim.getByTestId('start-topic').selectOption({ label: 'Returns' });
		await kim.getByTestId('start-submit').click();
		await nadia.getByTestId('offer').filter({ hasText: 'Kim Return' }).getByTestId('offer-accept').click();
		await nadia.getByTestId('conversation').waitFor();
		await nadia.getByTestId('composer').fill('/wel');
		await nadia.getByTestId('canned-option').filter({ hasText: 'Welcome' }).waitFor();
		await nadia.getByTestId('composer').press('Enter');
		await expect.poll(() => nadia.getByTestId('composer').inputValue()).toBe('Hi Kim Return, Nadia Night here.');

		// Grace cannot sign in any more.
		const grace = await signInAt('/agent', 'grace@parley.test');
		await grace.getByText('this account is deactivated', { exact: false }).waitFor();
		await Promise.all([admin, nadia, kim, grace].map((p) => p.context().close()));
	}, 120_000);
});
