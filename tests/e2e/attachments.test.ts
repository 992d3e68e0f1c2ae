import { readFileSync } from 'node:fs';
import type { CDPSession, Page, WebSocketRoute } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPng } from '../helpers/images';
import { PDF } from '../helpers/upload';
import { say, screenshots, signInAvailable, stageForFile, startCustomerChat, type Stage } from './browser';

// End to end (issue 17, B9): files both ways in real Chromium. The customer pastes a screenshot,
// the agent sees it inline and sends a PDF back, the customer downloads it; a file the agent
// uploads for agents only never reaches the customer's page (its frames and responses are
// recorded through the DevTools protocol and searched). Then uploads while the connection is
// down, and uploads that fail.

const stage = stageForFile();
const shot = screenshots('files');

/** Everything the page received: WebSocket frames and HTTP response bodies, as bytes. */
async function recordReceived(page: Page) {
	const cdp: CDPSession = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	const received: { what: string; bytes: Buffer }[] = [];
	const urls = new Map<string, string>();
	cdp.on('Network.webSocketFrameReceived', (e) => {
		const { opcode, payloadData } = e.response;
		received.push({ what: 'frame', bytes: Buffer.from(payloadData, opcode === 1 ? 'utf8' : 'base64') });
	});
	cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
	cdp.on('Network.loadingFinished', (e) => {
		cdp
			.send('Network.getResponseBody', { requestId: e.requestId })
			.then(({ body, base64Encoded }) => received.push({ what: urls.get(e.requestId) ?? 'response', bytes: Buffer.from(body, base64Encoded ? 'base64' : 'utf8') }))
			.catch(() => received.push({ what: `unreadable ${urls.get(e.requestId)}`, bytes: Buffer.alloc(0) }));
	});
	return {
		received,
		/** Where `needle` occurs in what was received. */
		find: (needle: string) => received.filter((r) => r.bytes.includes(needle)).map((r) => r.what)
	};
}

/** Pastes `bytes` as a screenshot (an image file on the clipboard) into the page's composer. */
async function pasteImage(page: Page, bytes: Buffer) {
	await page.getByTestId('composer').evaluate((box, b64) => {
		const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
		const transfer = new DataTransfer();
		transfer.items.add(new File([data], 'image.png', { type: 'image/png' }));
		box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
	}, bytes.toString('base64'));
}

/** Waits until the image has loaded and has pixels. */
const loaded = (page: Page, selector: string) =>
	page.waitForFunction((sel) => {
		const img = document.querySelector<HTMLImageElement>(sel);
		return !!img && img.complete && img.naturalWidth > 0;
	}, selector);

async function acceptedChat(s: Stage, name: string) {
	const agent = await signInAvailable(s, 'ada@parley.test');
	const customer = await startCustomerChat(s, name, 'Billing');
	const recorder = await recordReceived(customer);
	await agent.getByTestId('offer').filter({ hasText: name }).getByTestId('offer-accept').click();
	await customer.getByTestId('chat-agents').getByText('Ada').waitFor();
	const chatId = (await customer.evaluate(() => localStorage.getItem('parley.chatId')))!;
	return { agent, customer, recorder, chatId };
}

describe('[B9] files in the chat', () => {
	it('[B9] the customer pastes a screenshot, the agent sees it inline and sends a PDF back; an agents-only file never reaches the customer', async () => {
		const { agent, customer, recorder, chatId } = await acceptedChat(stage(), 'Maya Lopez');

		// The customer pastes a screenshot: it uploads with its progress, then the message carries it.
		await pasteImage(customer, await screenshotPng(1200, 800));
		await customer.getByTestId('upload').locator('[data-testid="upload-done"]').waitFor();
		await shot(customer, 'customer-pasted');
		await customer.getByTestId('composer').press('Enter');
		await customer.getByTestId('upload-tray').waitFor({ state: 'detached' });
		await loaded(customer, '[data-testid="file-image"] img');

		// The agent sees it inline: the server's thumbnail, a link to the full-size image.
		const image = agent.getByTestId('file-image');
		await image.waitFor();
		await loaded(agent, '[data-testid="file-image"] img');
		expect(await image.locator('img').getAttribute('src')).toMatch(/\/attachments\/[a-z0-9]+\?thumb=1$/);
		const size = await image.locator('img').evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]);
		expect(size).toEqual([320, 213]);
		const full = await agent.evaluate(async (href) => {
			const res = await fetch(href);
			return { status: res.status, type: res.headers.get('content-type'), bytes: (await res.arrayBuffer()).byteLength };
		}, (await image.getAttribute('href'))!);
		expect(full).toMatchObject({ status: 200, type: 'image/png' });
		await agent.getByTestId('chat-item').filter({ hasText: '📎 a file' }).waitFor(); // the chat list's preview
		await shot(agent, 'agent-sees-screenshot');

		// An agent's file for agents only (whispers carry them): the customer's page must never see it.
		const secret = await agent.evaluate(async (id) => {
			const form = new FormData();
			form.append('agentsOnly', 'true');
			form.append('file', new File(['internal note: customer flagged for refund abuse review\n'], 'secret-abuse-notes.txt', { type: 'text/plain' }));
			const res = await fetch(`/api/chats/${id}/attachments`, { method: 'POST', body: form });
			return { status: res.status, body: await res.json() };
		}, chatId);
		expect(secret.status).toBe(201);

		// The agent sends a PDF back with a few words.
		await agent.getByTestId('attach-input').setInputFiles({ name: 'refund-receipt.pdf', mimeType: 'application/pdf', buffer: PDF });
		await agent.getByTestId('upload').locator('[data-testid="upload-done"]').waitFor();
		await say(agent, 'Here is your refund receipt');

		// The customer sees a card with name, type and size, and downloads the PDF.
		const card = customer.getByTestId('file-card').filter({ hasText: 'refund-receipt.pdf' });
		await card.waitFor();
		await expect.poll(() => card.textContent()).toContain('PDF ·');
		await customer.getByTestId('message').filter({ hasText: 'Here is your refund receipt' }).waitFor();
		await shot(customer, 'customer-sees-pdf');
		const [download] = await Promise.all([customer.waitForEvent('download'), card.click()]);
		expect(download.suggestedFilename()).toBe('refund-receipt.pdf');
		expect(readFileSync((await download.path())!).equals(PDF)).toBe(true);

		// What the customer's page received: the PDF's name and id (the recorder works) …
		const pdfId = (await card.getAttribute('href'))!.split('/').pop()!;
		expect(recorder.find('refund-receipt.pdf').length).toBeGreaterThan(0);
		expect(recorder.find(pdfId).some((w) => w === 'frame')).toBe(true);
		// … and nothing of the agents-only file: not its id, name or content, in no frame or response.
		expect(recorder.find(secret.body.attachment.id)).toEqual([]);
		expect(recorder.find('secret-abuse-notes')).toEqual([]);
		expect(recorder.find('refund abuse review')).toEqual([]);
		// Asked for by its id, it does not exist for the customer.
		const probe = await customer.evaluate(async ([chat, id]) => (await fetch(`/api/chats/${chat}/attachments/${id}`)).status, [chatId, secret.body.attachment.id]);
		expect(probe).toBe(404);
	});

	it('[B9] a file picked while the connection is down uploads when it is back; failed uploads say why and can be retried or removed', async () => {
		const s = stage();
		const agent = await signInAvailable(s, 'ada@parley.test');
		const context = await s.browser.newContext({ viewport: { width: 390, height: 844 }, baseURL: s.server.url });
		const customer = await context.newPage();
		customer.setDefaultTimeout(15_000);
		let offline = false;
		const open: WebSocketRoute[] = [];
		await customer.routeWebSocket(/\/sync\//, (ws) => {
			if (offline) return void ws.close();
			open.push(ws, ws.connectToServer());
		});
		await customer.goto('/chat');
		await customer.getByTestId('start-name').fill('Noor Haddad');
		await customer.getByTestId('start-email').fill('noor@example.com');
		await customer.getByTestId('start-topic').selectOption({ label: 'Billing' });
		await customer.getByTestId('start-submit').click();
		await customer.getByTestId('chat-view').waitFor();
		await agent.getByTestId('offer').filter({ hasText: 'Noor Haddad' }).getByTestId('offer-accept').click();
		await customer.getByTestId('chat-agents').getByText('Ada').waitFor();
		await customer.getByTestId('attach').waitFor();

		// The connection drops; the customer picks a file: it waits, and says so.
		offline = true;
		for (const ws of open.splice(0)) await ws.close();
		await customer.getByTestId('status-banner').waitFor();
		await customer.getByTestId('attach-input').setInputFiles({ name: 'statement.pdf', mimeType: 'application/pdf', buffer: PDF });
		const waiting = customer.getByTestId('upload').filter({ hasText: 'statement.pdf' });
		await waiting.getByTestId('upload-waiting').waitFor();
		expect(await customer.getByTestId('send').isDisabled()).toBe(true);
		await shot(customer, 'waiting-offline');

		// Back: it uploads by itself, and the message carries it.
		offline = false;
		await waiting.getByTestId('upload-done').waitFor({ timeout: 30_000 });
		await say(customer, 'My statement');
		await agent.getByTestId('file-card').filter({ hasText: 'statement.pdf' }).waitFor();

		// Refused for its type: says why; removed.
		await customer.getByTestId('attach-input').setInputFiles({ name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('504b0304140000000800', 'hex') });
		const zip = customer.getByTestId('upload').filter({ hasText: 'archive.zip' });
		await expect.poll(() => zip.getByTestId('upload-error').textContent()).toMatch(/can't be sent.*PDF and plain text/);
		expect(await zip.getByTestId('upload-retry').count()).toBe(0);
		await zip.getByTestId('upload-remove').click();
		await zip.waitFor({ state: 'detached' });

		// Too large (11 MB): says so.
		await customer.getByTestId('attach-input').setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: Buffer.alloc(11 * 1024 * 1024, 7) });
		const huge = customer.getByTestId('upload').filter({ hasText: 'huge.png' });
		await expect.poll(() => huge.getByTestId('upload-error').textContent(), { timeout: 30_000 }).toBe('Too large: files may be at most 10 MB.');
		expect(await huge.getByTestId('upload-retry').count()).toBe(0); // trying again cannot help
		await shot(customer, 'upload-refused');
		await huge.getByTestId('upload-remove').click();

		// On a slow line the progress shows as the bytes go (3 MB of log at 1 MB/s).
		const cdp = await context.newCDPSession(customer);
		await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: 1024 * 1024 });
		await customer.getByTestId('attach-input').setInputFiles({ name: 'app.log', mimeType: 'text/plain', buffer: Buffer.from('2026-12-07 ERROR payment step 3 failed\n'.repeat(80_000)) });
		const slow = customer.getByTestId('upload').filter({ hasText: 'app.log' });
		await customer.waitForFunction(() => {
			const bar = document.querySelector<HTMLProgressElement>('[data-testid="upload-progress"]');
			return !!bar && bar.value > 0 && bar.value < 1;
		});
		await shot(customer, 'upload-progress');
		await slow.getByTestId('upload-done').waitFor({ timeout: 30_000 });
		await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
		await slow.getByTestId('upload-remove').click();

		// The network fails mid-upload: says so; Retry sends it. (This file is dropped on the composer.)
		let fail = true;
		await customer.route('**/attachments', (route) => (fail ? ((fail = false), route.abort('failed')) : route.continue()));
		await customer.locator('form.composer').evaluate((form, b64) => {
			const transfer = new DataTransfer();
			transfer.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], 'invoice.pdf', { type: 'application/pdf' }));
			form.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
		}, PDF.toString('base64'));
		const flaky = customer.getByTestId('upload').filter({ hasText: 'invoice.pdf' });
		await expect.poll(() => flaky.getByTestId('upload-error').textContent()).toMatch(/Network error/);
		await flaky.getByTestId('upload-retry').click();
		await flaky.getByTestId('upload-done').waitFor();
		await customer.getByTestId('composer').press('Enter');
		await agent.getByTestId('file-card').filter({ hasText: 'invoice.pdf' }).waitFor();
		await context.close();
	});
});
