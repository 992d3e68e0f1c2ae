import { describe, expect, it } from 'vitest';
import type { WebSocketRoute } from 'playwright-core';
import { screenshots, signInAvailable, say, stageForFile } from './browser';

// End to end (T1, T2, B4): a customer on a phone whose clock is an hour fast, who loses the
// network mid-chat and keeps typing. The server takes a message only near its own clock and only
// after what its writer has seen: the page stamps messages by the server's clock and holds what
// was typed offline until it is in sync again, so nothing is refused and nothing is lost.

const stage = stageForFile();
const shot = screenshots('offline');
const HOUR = 3_600_000;

describe('customer offline, with a wrong clock', () => {
	it('[T1][T2] messages typed offline on a phone whose clock is off arrive after what the agent wrote meanwhile', async () => {
		const agent = await signInAvailable(stage(), 'ada@parley.test');

		const context = await stage().browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: stage().server.url });
		await context.addInitScript((offset) => {
			const realNow = Date.now.bind(Date);
			Date.now = () => realNow() + offset;
		}, HOUR);
		let offline = false;
		const open: WebSocketRoute[] = [];
		const customer = await context.newPage();
		customer.setDefaultTimeout(15_000);
		const errors: string[] = [];
		customer.on('pageerror', (err) => errors.push(String(err)));
		await customer.routeWebSocket(/\/sync\//, (ws) => {
			if (offline) return void ws.close();
			open.push(ws, ws.connectToServer());
		});
		await customer.goto('/chat');
		await customer.getByTestId('start-name').fill('Robin Park');
		await customer.getByTestId('start-email').fill('robin@example.com');
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await customer.getByTestId('start-submit').click();
		await customer.getByTestId('chat-view').waitFor();
		expect(await customer.evaluate(() => Date.now())).toBeGreaterThan(Date.now() + HOUR - 60_000); // the phone's clock is off

		const offer = agent.getByTestId('offer').filter({ hasText: 'Robin Park' });
		await offer.getByTestId('offer-accept').click();
		await customer.getByTestId('chat-agents').getByText('Ada').waitFor();

		await say(customer, 'Hello from a fast clock');
		await agent.getByTestId('message').filter({ hasText: 'Hello from a fast clock' }).waitFor();

		// The network drops; the agent writes; the customer keeps typing.
		offline = true;
		for (const ws of open.splice(0)) await ws.close();
		await say(agent, 'Are you still there?');
		await say(customer, 'Typed in a tunnel');
		await customer.getByTestId('message').filter({ hasText: 'Typed in a tunnel' }).waitFor();
		await shot(customer, 'typed-offline');

		// Back online: the message goes after what the agent wrote meanwhile, on both screens.
		offline = false;
		await agent.getByTestId('message').filter({ hasText: 'Typed in a tunnel' }).waitFor();
		await customer.getByTestId('message').filter({ hasText: 'Are you still there?' }).waitFor();
		for (const page of [agent, customer]) {
			const texts = await page.getByTestId('message').allInnerTexts();
			const asked = texts.findIndex((t) => t.includes('Are you still there?'));
			const typed = texts.findIndex((t) => t.includes('Typed in a tunnel'));
			expect(asked).toBeGreaterThanOrEqual(0);
			expect(typed).toBeGreaterThan(asked);
		}
		await shot(customer, 'back-online');
		await shot(agent, 'agent-sees-it');
		expect(await customer.getByText('A change was refused by the server').count()).toBe(0);
		expect(errors).toEqual([]);
		await context.close();
	});
});
