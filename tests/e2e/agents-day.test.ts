import { describe, expect, it } from 'vitest';
import { screenshots, stageForFile } from './browser';

// Issue 16 ("the agent's day") in Chromium: each test is named after the bullet.
// Screenshots: test-results/day-*.

const stage = stageForFile();
const shot = screenshots('day');

async function signInAt(path: string, email: string) {
	const page = await stage().open(1280, 800, path);
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	return page;
}

describe('issue 16 in the browser', () => {
	it('[#16 roles] an auditor opening /agent lands on /audit, an admin on /admin, each told why with a link back', async () => {
		const auditor = await signInAt('/agent', 'audit@parley.test');
		await auditor.getByTestId('sent-here').getByText('The agent console is for agents.').waitFor();
		expect(new URL(auditor.url()).pathname).toBe('/audit');
		expect(await auditor.getByTestId('presence-available').count()).toBe(0);
		await shot(auditor, 'auditor-sent-to-audit');

		const admin = await signInAt('/agent', 'admin@parley.test');
		await admin.getByTestId('config-table').waitFor();
		await admin.getByTestId('sent-here').getByText('The agent console is for agents.').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/admin');
		// No link into a console the admin cannot use; the way back is the start page.
		expect(await admin.getByRole('link', { name: 'Agent console' }).count()).toBe(0);
		await shot(admin, 'admin-sent-to-admin');
		await admin.getByTestId('sent-here-back').click();
		await admin.getByTestId('go-agent').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/');

		// Coming again while signed in lands there at once, from the start page's own link.
		await admin.getByTestId('go-agent').click();
		await admin.getByTestId('config-table').waitFor();
		expect(new URL(admin.url()).pathname).toBe('/admin');
		await Promise.all([auditor, admin].map((p) => p.context().close()));
	}, 60_000);
});
