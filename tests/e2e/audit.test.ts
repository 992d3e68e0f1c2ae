import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTextMessage } from '../../src/lib/core/message-policy';
import { availableAgent, chatWith } from '../helpers/conference';
import { eventually, type TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';
import { SHOTS, openStage, type Stage } from './browser';

// End to end (A2, A3): an auditor signs in at /audit, finds a finished conference and scrubs
// through it in Chromium; Grace appears at the step she joined and is marked gone at the step
// she left. The conference itself is made through the real API and real y-websocket clients.
// Needs the built web app (`npm test` builds first).

let stage: Stage;
let server: TestServer;
const sockets: (() => void)[] = [];

beforeAll(async () => {
	stage = await openStage();
	server = stage.server;
});

afterAll(async () => {
	sockets.forEach((f) => f());
	const violations = stage?.cspViolations ?? [];
	await stage?.close();
	expect(violations).toEqual([]);
});

const openPage = (path: string, width = 1280, height = 860): Promise<Page> => stage.open(width, height, path);

/** Pat and Ada talk, Grace is conferenced in, says hello, leaves; Ada ends the chat. */
async function finishedConference() {
	const { owner: ada, customer } = await chatWith(server);
	const chatId = customer.chatId;
	const pat = connectDoc(server.url, `chat/${chatId}`, customer.token);
	sockets.push(pat.destroy);
	await pat.synced();
	pat.doc.getArray('messages').push([newTextMessage(customer.customer, 'My invoice shows two charges.', Date.now(), 'p1')]);
	await eventually(async () => {
		const n = await server.row<{ n: number }>(sql`SELECT count(*) AS n FROM doc_updates WHERE doc = ${`chat/${chatId}`} AND actor = ${customer.customer.id}`);
		expect(n.n).toBeGreaterThanOrEqual(2);
	});
	const grace = await availableAgent(server, 'grace@parley.test');
	const sent = await ada.call('POST', `/api/chats/${chatId}/conference-requests`, { agentId: 'grace' });
	expect((await grace.call('POST', `/api/conference-requests/${sent.body.requestId}/accept`)).status).toBe(200);
	const g = connectDoc(server.url, `chat/${chatId}`, grace.sessionToken);
	sockets.push(g.destroy);
	await g.synced();
	g.doc.getArray('messages').push([newTextMessage({ id: 'grace', role: 'agent', name: 'Grace' }, 'Grace from billing here — I see the double charge.', Date.now(), 'g1')]);
	await eventually(() => expect(pat.messages().map((m) => m.text)).toContain('Grace from billing here — I see the double charge.'));
	expect((await grace.call('POST', `/api/chats/${chatId}/leave`)).status).toBe(200);
	expect((await ada.call('POST', `/api/chats/${chatId}/end`)).status).toBe(200);
	return chatId;
}

const stepOf = async (page: Page, kind: string, text: string) =>
	Number(await page.locator(`[data-testid="timeline-entry"][data-kind="${kind}"]`, { hasText: text }).first().getAttribute('data-step'));

describe('auditor replay in the browser', () => {
	it('[A2][T4] an auditor scrubs a finished conference: Grace appears at her join step and leaves at her leave step', async () => {
		const chatId = await finishedConference();
		const page = await openPage('/audit');

		await page.getByTestId('login-email').fill('audit@parley.test');
		await page.getByTestId('login-password').fill('parley-demo');
		await page.getByTestId('login-submit').click();

		// Find the chat: by customer email and agent.
		await page.getByTestId('search-email').fill('pat@example.com');
		await page.getByTestId('search-agent').fill('Grace');
		await page.getByTestId('search-submit').click();
		const row = page.locator(`[data-testid="result"][data-chat-id="${chatId}"]`);
		await row.waitFor();
		// Newest first: this chat, then the demo's earlier chat of Pat with Grace.
		expect(await page.getByTestId('result').first().getAttribute('data-chat-id')).toBe(chatId);
		// [T4] This chat only typed Pat's email: it is listed as an unverified claim; Pat's own is not.
		await row.getByTestId('result-unverified').getByText('email not verified').waitFor();
		expect(await page.locator('[data-testid="result"][data-chat-id="seed-pat-billing"]').getByTestId('result-unverified').count()).toBe(0);
		await page.screenshot({ path: join(SHOTS, 'audit-search.png') });
		await row.getByTestId('open-replay').click();

		// The replay opens at the last step; the timeline lists every change and decision.
		await page.getByTestId('timeline-entry').first().waitFor();
		await page.getByTestId('replay-unverified').getByText('email not verified').waitFor();
		const steps = await page.getByTestId('timeline-entry').count();
		await expect.poll(() => page.getByTestId('step-label').textContent()).toContain(`Step ${steps} of ${steps}`);
		const joined = await stepOf(page, 'participant.joined', 'Grace joined');
		const left = await stepOf(page, 'participant.left', 'Grace left');
		expect(joined).toBeGreaterThan(1);
		expect(left).toBeGreaterThan(joined);

		const grace = page.locator('[data-testid="participant"][data-id="grace"]');
		const scrubTo = async (step: number) => {
			await page.getByTestId('scrubber').fill(String(step));
			await expect.poll(() => page.getByTestId('step-label').textContent()).toContain(`Step ${step} of ${steps}`);
		};

		// Just before her join: no Grace. One step forward: Grace is in, and the change names her.
		await scrubTo(joined - 1);
		await expect.poll(() => grace.count()).toBe(0);
		await page.getByTestId('step-forward').click();
		await grace.waitFor();
		expect(await grace.getAttribute('data-left')).toBe('false');
		await expect.poll(() => page.getByTestId('current-change').textContent()).toContain('participant Grace joined');
		expect(await page.locator('[data-testid="timeline-entry"][aria-current="step"]').getAttribute('data-step')).toBe(String(joined));
		await page.locator('[data-testid="replay-notice"][data-current="true"]', { hasText: 'Grace joined the chat' }).waitFor();
		expect(new URL(page.url()).searchParams.get('step')).toBe(String(joined));
		await page.screenshot({ path: join(SHOTS, 'audit-replay-joined.png') });

		// Her message is there a step later, highlighted with its author.
		await page.getByTestId('step-forward').click();
		await page.locator('[data-testid="replay-message"][data-current="true"][data-author="Grace"]').waitFor();

		// Just before her leave she is still in; one step forward she is marked as gone.
		await scrubTo(left - 1);
		await expect.poll(() => grace.getAttribute('data-left')).toBe('false');
		await page.getByTestId('step-forward').click();
		await expect.poll(() => grace.getAttribute('data-left')).toBe('true');
		await expect.poll(() => page.getByTestId('current-change').textContent()).toContain('participant Grace left');
		await page.screenshot({ path: join(SHOTS, 'audit-replay.png'), fullPage: true });

		// The keyboard steps too; clicking a timeline entry jumps there.
		await page.locator('body').press('ArrowLeft');
		await expect.poll(() => grace.getAttribute('data-left')).toBe('false');
		await page.locator(`[data-testid="timeline-entry"][data-step="1"]`).click();
		await expect.poll(() => page.getByTestId('step-label').textContent()).toContain(`Step 1 of ${steps}`);
		await expect.poll(() => grace.count()).toBe(0);

		// Export of the moment shown: JSON and a printable page with the checksum.
		await scrubTo(left);
		const htmlHref = (await page.getByTestId('export-html').getAttribute('href'))!;
		expect(htmlHref).toContain(`at=${left}`);
		const html = await page.request.get(htmlHref);
		expect(html.status()).toBe(200);
		const body = await html.text();
		expect(body).toContain('Audit transcript');
		const json = await (await page.request.get((await page.getByTestId('export-json').getAttribute('href'))!)).json();
		expect(json.moment.step).toBe(left);
		expect(body).toContain(json.log.checksum);
		const printable = await page.context().newPage();
		await printable.goto(htmlHref);
		await printable.getByText('Audit transcript').first().waitFor();
		await printable.screenshot({ path: join(SHOTS, 'audit-export.png'), fullPage: true });
	});

	it('[A3] someone who is not an auditor is told so at /audit', async () => {
		const page = await openPage('/audit');
		await page.getByTestId('login-email').fill('ada@parley.test');
		await page.getByTestId('login-password').fill('parley-demo');
		await page.getByTestId('login-submit').click();
		await page.getByTestId('not-auditor').getByText('This page is for auditors.').waitFor();
	});
});
