import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshotPng } from '../helpers/images';
import { say, screenshots, stageForFile } from './browser';
import { conference } from './huddle-stage';

// Issue 17 with issue 14 in real Chromium: Ada whispers a PNG and a PDF to Grace. Grace sees them
// in the whispers band; Sam, a supervisor watching, whispers a file too; the customer's page (every WebSocket frame and HTTP body recorded through
// the DevTools protocol) never receives their names, ids or bytes, and asking for the ids gives
// 404. Screenshots: test-results/whisper-files-*.

const stage = stageForFile();
const shot = screenshots('whisper-files');
const PNG_NAME = 'ledger-screen-KESTREL.png';
const PDF_NAME = 'refund-policy-MARMOT.pdf';
const SAM_NAME = 'supervisor-notes-WOMBAT.pdf';
const HELD_NAME = 'held-upload-BADGER.pdf';
/** A PDF with a marker of its own, to search the customer's wire for its bytes. */
const PDF = Buffer.from('%PDF-1.4\n% internal refund policy MARMOT-BYTES-5521\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** The attachment id a file link in the whispers band points to. */
const idOf = async (page: Page, testId: string, name: string) =>
	(await page.getByTestId('whispers').locator(`[data-testid="${testId}"][data-name="${name}"]`).getAttribute('href'))!.split('/').pop()!;

describe('[#17] files in whispers', () => {
	it('[#17][#14 B2][#14 B6] a whisper carries a file the customer\'s page never receives (its frames and responses are recorded and searched)', async () => {
		const { ada, grace, customer, wire } = await conference(stage());
		const png = await screenshotPng(900, 600);

		// Ada switches to Whisper (Alt+W) and attaches a screenshot and a PDF (agents-only uploads).
		await ada.getByTestId('composer').click();
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="whisper"]').waitFor();
		await ada.getByTestId('attach-input').setInputFiles([
			{ name: PNG_NAME, mimeType: 'image/png', buffer: png },
			{ name: PDF_NAME, mimeType: 'application/pdf', buffer: PDF }
		]);
		await expect.poll(() => ada.locator('[data-testid="upload"] [data-testid="upload-done"]').count()).toBe(2);
		await shot(ada, 'ada-whisper-with-files');
		await say(ada, '@Grace the ledger and the policy');
		await ada.getByTestId('upload-tray').waitFor({ state: 'detached' });

		// Both agents see the whisper with its files: the thumbnail (made by the server) and a card.
		for (const page of [ada, grace]) {
			const whisper = page.getByTestId('whisper').filter({ hasText: 'the ledger and the policy' });
			await whisper.locator(`[data-testid="file-image"][data-name="${PNG_NAME}"] img`).waitFor();
			await page.waitForFunction((name) => {
				const img = document.querySelector<HTMLImageElement>(`[data-testid="whispers"] [data-name="${name}"] img`);
				return !!img && img.complete && img.naturalWidth > 0;
			}, PNG_NAME);
			await expect.poll(() => whisper.locator(`[data-testid="file-card"][data-name="${PDF_NAME}"]`).textContent()).toContain('PDF ·');
		}
		await shot(grace, 'grace-sees-whisper-files');
		const pngId = await idOf(grace, 'file-image', PNG_NAME);
		const pdfId = await idOf(grace, 'file-card', PDF_NAME);
		// Grace downloads the PDF: exactly Ada's bytes.
		const got = await grace.evaluate(async (href) => {
			const res = await fetch(href);
			return { status: res.status, text: await res.text() };
		}, `/api/chats/${await chatIdOf(customer)}/attachments/${pdfId}`);
		expect(got).toEqual({ status: 200, text: PDF.toString('utf8') });

		// [B6] Sam, supervisor, watching from /supervise, whispers a file too; Ada gets it.
		const sam = await stage().open(1280, 800, '/supervise');
		await sam.getByTestId('login-email').fill('sam@parley.test');
		await sam.getByTestId('login-password').fill('parley-demo');
		await sam.getByTestId('login-submit').click();
		await sam.locator('[data-testid="supervised-chat"][data-status="active"]').filter({ hasText: 'Pat Lee' }).click();
		await sam.getByTestId('whispers').locator(`[data-testid="file-card"][data-name="${PDF_NAME}"]`).waitFor();
		await sam.getByTestId('attach-input').setInputFiles({ name: SAM_NAME, mimeType: 'application/pdf', buffer: PDF });
		await sam.locator('[data-testid="upload"] [data-testid="upload-done"]').waitFor();
		await say(sam, 'keep this one internal');
		await ada.getByTestId('whisper').filter({ hasText: 'keep this one internal' }).locator(`[data-testid="file-card"][data-name="${SAM_NAME}"]`).waitFor();
		await shot(sam, 'sam-whispers-a-file');
		const samId = await idOf(ada, 'file-card', SAM_NAME);

		// A file still uploading survives a switch to Reply and back: it starts again, then is ready.
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		await ada.route('**/api/chats/*/attachments', async (route) => {
			if (route.request().method() === 'POST') await held;
			await route.continue().catch(() => undefined); // the aborted first try
		});
		await ada.getByTestId('attach-input').setInputFiles({ name: HELD_NAME, mimeType: 'application/pdf', buffer: PDF });
		await ada.locator(`[data-testid="upload"][data-name="${HELD_NAME}"][data-state="uploading"]`).waitFor();
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="reply"]').waitFor();
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="whisper"]').waitFor();
		release();
		await ada.locator(`[data-testid="upload"][data-name="${HELD_NAME}"][data-state="done"]`).waitFor();
		await ada.unroute('**/api/chats/*/attachments');
		await say(ada, 'the held one');
		await grace.getByTestId('whisper').filter({ hasText: 'the held one' }).locator(`[data-testid="file-card"][data-name="${HELD_NAME}"]`).waitFor();

		// Back to Reply: the customer gets this one, with a file of its own (the recorder works).
		await ada.keyboard.press('Alt+KeyW');
		await ada.locator('[data-testid="composer-mode"][data-mode="reply"]').waitFor();
		await say(ada, 'I have checked the ledger for you.');
		await customer.getByTestId('message').filter({ hasText: 'I have checked the ledger for you.' }).waitFor();
		await shot(customer, 'customer-sees-reply-only');

		// The customer's page: no name, id or byte of the whispered files, in no frame or response.
		const seen = await wire.text();
		expect(seen).toContain('I have checked the ledger for you.');
		for (const secret of [PNG_NAME, PDF_NAME, SAM_NAME, HELD_NAME, pngId, pdfId, samId, 'MARMOT', 'the ledger and the policy', 'keep this one internal']) expect(seen, secret).not.toContain(secret);
		expect(await wire.holds(PDF)).toBe(false);
		expect(await wire.holds(png.subarray(Math.floor(png.length / 2), Math.floor(png.length / 2) + 64))).toBe(false);
		expect(seen).not.toContain('Only agents see this');
		// Asked for by their ids (and thumbnails), they do not exist for the customer.
		const probes = await customer.evaluate(async ([chat, ids]) => {
			const statuses: number[] = [];
			for (const id of ids) for (const q of ['', '?thumb=1']) statuses.push((await fetch(`/api/chats/${chat}/attachments/${id}${q}`)).status);
			return statuses;
		}, [await chatIdOf(customer), [pngId, pdfId, samId]] as const);
		expect(probes).toEqual([404, 404, 404, 404, 404, 404]);
	}, 120_000);
});

const chatIdOf = async (customer: Page) => (await customer.evaluate(() => localStorage.getItem('parley.chatId')))!;
