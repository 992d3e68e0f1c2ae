import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { hostileCases, storeAsOlderBuild, unreadableCount } from '../helpers/hostile-messages';
import { eventually } from '../helpers/server';
import { say, SHOTS, signInAvailable, stageForFile, startCustomerChat } from './browser';

// End to end (T2, A2): a chat whose stored log holds what an older build let through — null,
// numbers, a reused id, times past the Date range, U+202E in a name … — written as that build's
// server did. The customer page, the agent console and the audit replay each show the good
// messages, every readable odd one, "unreadable message" in place of the rest, and no page
// error; also after a reload, when the whole log renders at once. Needs the built web app.

const stage = stageForFile();

/** Page errors (uncaught exceptions) of a page from now on. */
function errorsOf(page: Page) {
	const errors: string[] = [];
	page.on('pageerror', (err) => errors.push(String(err)));
	return errors;
}

type Cases = ReturnType<typeof hostileCases>;

/** The log on `page` shows every good and readable item and exactly the unreadable ones. */
async function expectLog(page: Page, cases: Cases, item: string) {
	const texts = ['first good message', ...cases.flatMap((c) => (c.shows === null ? [] : [c.shows])), 'last good message'];
	for (const text of texts) await page.locator(`[data-testid="${item}"]`, { hasText: text.slice(0, 40) }).first().waitFor();
	await expect.poll(() => page.getByTestId('unreadable').count()).toBe(unreadableCount(cases));
	// Nothing after an unreadable item is lost: the last good message is the last item.
	expect(await page.locator(`[data-testid="${item}"]`).last().textContent()).toContain('last good message');
}

/** Names and message text are bidi-isolated: a U+202E inside cannot reorder what is around them. */
async function expectIsolated(page: Page, name: string, text: string) {
	const bidi = (selector: string, has: string) =>
		page.locator(selector, { hasText: has }).first().evaluate((el) => getComputedStyle(el).unicodeBidi);
	expect(await bidi('bdi', name)).toMatch(/isolate|plaintext/);
	expect(await bidi('[dir="auto"]', text)).toMatch(/isolate|plaintext/);
}

describe('a chat holding hostile stored messages', () => {
	it('[T2][A2] the customer page, the agent console and the audit replay render it: bad items as "unreadable message", no page error', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');
		const agentErrors = errorsOf(agent);
		const customer = await startCustomerChat(stage(), 'Robin Odd', 'Billing');
		const customerErrors = errorsOf(customer);
		const chatId = (await customer.evaluate(() => localStorage.getItem('parley.chatId')))!;
		const offer = agent.getByTestId('offer').filter({ hasText: 'Robin Odd' });
		await offer.getByTestId('offer-accept').click();
		await agent.getByTestId('conversation').waitFor();

		await say(customer, 'first good message');
		await agent.getByTestId('message').filter({ hasText: 'first good message' }).waitFor();
		const server = stage().server;
		const goodId = (await server.docs.get(`chat/${chatId}`)).doc.getArray<{ id: string; text: string }>('messages').toArray().find((m) => m.text === 'first good message')!.id;
		const cases = hostileCases(goodId);
		await storeAsOlderBuild(server, chatId, cases.map((c) => c.value));
		await say(customer, 'last good message');

		// Live: the items arrive in open pages.
		await expectLog(customer, cases, 'message');
		await expectLog(agent, cases, 'message');
		await expectIsolated(agent, '\u202EEve', 'hostile: reversed');
		// The chat list's last line is the last good message (the list kept rendering).
		await agent.getByTestId('chat-item').filter({ hasText: 'last good message' }).waitFor();
		await customer.screenshot({ path: join(SHOTS, 'hostile-customer.png') });
		await agent.screenshot({ path: join(SHOTS, 'hostile-agent.png') });

		// From scratch: the whole stored log renders at once.
		await customer.reload();
		await agent.reload();
		await expectLog(customer, cases, 'message');
		await expectLog(agent, cases, 'message');
		expect(customerErrors).toEqual([]);
		expect(agentErrors).toEqual([]);

		// The audit replay of the latest step, and a step back to before the hostile items.
		const audit = await stage().open(1280, 860, `/audit/${chatId}`);
		const auditErrors = errorsOf(audit);
		await audit.getByTestId('login-email').fill('audit@parley.test');
		await audit.getByTestId('login-password').fill('parley-demo');
		await audit.getByTestId('login-submit').click();
		await audit.getByTestId('timeline-entry').first().waitFor();
		await expectLog(audit, cases, 'replay-message');
		await expectIsolated(audit, '\u202EEve', 'hostile: reversed');
		await audit.screenshot({ path: join(SHOTS, 'hostile-audit.png'), fullPage: true });
		await audit.getByTestId('step-back').click();
		await eventually(async () => expect(await audit.getByTestId('replay-message').filter({ hasText: 'last good message' }).count()).toBe(0));
		await expect.poll(() => audit.getByTestId('unreadable').count()).toBe(unreadableCount(cases));
		expect(auditErrors).toEqual([]);
	});
});
