import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshots, stageForFile, say } from './browser';
import { conference } from './huddle-stage';

// Issue 14 (B2, B3, B6) in real Chromium: a customer on a phone, Ada and Grace at desks in a
// conference. The customer's page is recorded (every WebSocket frame and HTTP body, through the
// DevTools protocol) while the agents whisper and draft together; none of that text reaches it.
// Screenshots of each step: test-results/huddle-*.

const stage = stageForFile();
const shot = screenshots('huddle');
const SECRETS = ['ZEBRA-WHISPER-1', 'OKAPI-WHISPER-2', 'QUOKKA-DRAFT-3', 'IBEX-SUPERVISOR-4'];

const draftOf = (page: Page) => page.getByTestId('draft-input');

describe('the agents\' huddle in the browser', () => {
	it('[#14 B2][#14 B3][#14 B6] whispers and a draft written together never reach the customer; one send gives one message; the supervisor watches, whispers, joins', async () => {
		const { ada, grace, customer, wire } = await conference(stage());

		// [B6] Sam, supervisor, watches the chat read-only from /supervise.
		const sam = await stage().open(1280, 800, '/supervise');
		await sam.getByTestId('login-email').fill('sam@parley.test');
		await sam.getByTestId('login-password').fill('parley-demo');
		await sam.getByTestId('login-submit').click();
		await sam.locator('[data-testid="supervised-chat"][data-status="active"]').filter({ hasText: 'Pat Lee' }).click();
		await sam.getByTestId('watch-pane').getByTestId('notice').filter({ hasText: 'Grace joined the chat' }).waitFor();
		expect(await sam.getByTestId('queue-time').first().textContent()).toMatch(/^waited \d/);
		await shot(sam, 'sam-watching');

		// [B2] Ada switches to Whisper with Alt+W: the mode is visible, the whisper agents-only.
		await ada.getByTestId('composer').click();
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="whisper"]').waitFor();
		await shot(ada, 'ada-whisper-mode');
		await say(ada, `${SECRETS[0]} @Grace was the second charge a pre-authorisation?`);
		const mention = grace.locator('[data-testid="whisper"][data-mention="me"]').filter({ hasText: SECRETS[0] });
		await mention.waitFor();
		await grace.getByTestId('whispers').getByText('Only agents see this').waitFor();
		await shot(grace, 'grace-mentioned-in-whisper');
		await grace.getByTestId('composer').click();
		await grace.keyboard.press('Alt+KeyW');
		await say(grace, `${SECRETS[1]} yes, it drops off in 3 days`);
		await ada.getByTestId('whisper').filter({ hasText: SECRETS[1] }).waitFor();
		// [B6] Sam sees both and whispers to Ada.
		await sam.getByTestId('whisper').filter({ hasText: SECRETS[1] }).waitFor();
		await say(sam, `${SECRETS[3]} @Ada it is a hold, say so plainly`);
		await ada.locator('[data-testid="whisper"][data-mention="me"]').filter({ hasText: SECRETS[3] }).waitFor();
		await shot(ada, 'ada-mentioned-by-supervisor');
		// Back to Reply: the customer gets this one.
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="reply"]').waitFor();
		await say(ada, 'Let me check that for you.');
		await customer.getByTestId('message').filter({ hasText: 'Let me check that for you.' }).waitFor();

		// [B3] Both type into the shared draft at once, Ada at the end, Grace at the start.
		await ada.getByTestId('draft-open').click();
		await draftOf(ada).click();
		await draftOf(ada).pressSequentially('the extra charge is a hold. ');
		await expectDraft(grace, 'the extra charge is a hold. ');
		await draftOf(grace).click();
		await grace.keyboard.press('Control+Home');
		await Promise.all([
			draftOf(ada).pressSequentially('It disappears within 3 days.', { delay: 40 }),
			grace.keyboard.type(`Hi Pat, ${SECRETS[2]} `, { delay: 40 })
		]);
		const converged = `Hi Pat, ${SECRETS[2]} the extra charge is a hold. It disappears within 3 days.`;
		await expectDraft(ada, converged);
		await expectDraft(grace, converged);
		// Carets and authors: each sees the other's named caret, and two authors.
		await ada.locator('[data-testid="draft-caret"][data-name="Grace"]').waitFor();
		await grace.locator('[data-testid="draft-caret"][data-name="Ada"]').waitFor();
		expect(await ada.getByTestId('draft-author').allTextContents()).toEqual(expect.arrayContaining(['Ada', 'Grace']));
		await shot(ada, 'ada-draft-together');
		await shot(grace, 'grace-draft-together');
		// [B6] Sam sees the draft live, read-only.
		await sam.waitForFunction((want) => (document.querySelector('[data-testid="draft-input"]') as HTMLTextAreaElement | null)?.value === want, converged);
		expect(await sam.getByTestId('draft-input').getAttribute('readonly')).not.toBeNull();
		await shot(sam, 'sam-sees-draft');

		// Grace takes the secret out again (selects it and types over it); the draft converges.
		const final = 'Hi Pat, the extra charge is a hold. It disappears within 3 days.';
		await draftOf(grace).evaluate((el: HTMLTextAreaElement, secret) => {
			const at = el.value.indexOf(secret);
			el.setSelectionRange(at, at + secret.length + 1);
		}, SECRETS[2]);
		await grace.keyboard.press('Backspace');
		await expectDraft(ada, final);

		// [B3] Ada sends: the customer gets exactly one message, by Ada; the draft empties for both.
		await ada.getByTestId('draft-send').click();
		await customer.getByTestId('message').filter({ hasText: final }).waitFor();
		await expectDraft(grace, '');
		await expectDraft(ada, '');
		expect(await customer.getByTestId('message').filter({ hasText: final }).count()).toBe(1);
		await shot(customer, 'customer-one-message');
		await shot(ada, 'ada-after-send');

		// [B6] Sam joins through a request to himself, accepted like any offer.
		await sam.getByTestId('join-request').click();
		await sam.getByTestId('join-accept').click();
		await customer.getByTestId('notice').filter({ hasText: 'Sam Reyes joined the chat' }).waitFor();
		await sam.getByTestId('open-console').waitFor();
		await shot(sam, 'sam-joined');
		await shot(customer, 'customer-sam-joined');

		// Nothing of the huddle reached the customer's page; what was sent did (the recorder works).
		const seen = await wire.text();
		expect(seen).toContain(final);
		expect(seen).toContain('Let me check that for you.');
		for (const secret of SECRETS) expect(seen, secret).not.toContain(secret);
		expect(seen).not.toContain('Only agents see this');
		expect(wire.frames.length).toBeGreaterThan(5);
	}, 120_000);
});

async function expectDraft(page: Page, text: string) {
	await page
		// An empty draft may be folded away (no textarea at all).
		.waitForFunction((want) => {
			const box = document.querySelector('[data-testid="draft-input"]') as HTMLTextAreaElement | null;
			return box ? box.value === want : want === '';
		}, text, {
			timeout: 15_000
		})
		.catch(async (e) => {
			const value = await draftOf(page).inputValue().catch(() => '(none)');
			throw new Error(`draft is ${JSON.stringify(value)}, not ${JSON.stringify(text)}: ${e}`);
		});
}
