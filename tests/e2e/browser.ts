import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';

// Shared set-up for the browser journeys: a real server on port 0 (fresh, seeded database),
// Debian's Chromium through playwright-core, and the few steps every journey repeats.

export const SHOTS = resolve('test-results');
const WAIT = 15_000;

export interface Stage {
	server: TestServer;
	browser: Browser;
	/** Content-Security-Policy violations any page reported (the journeys must cause none). */
	cspViolations: string[];
	/** A new browser context (own storage; no cookies but `cookies`) with one page at `path`. */
	open(width: number, height: number, path: string, cookies?: ReadonlyMap<string, string>): Promise<Page>;
	close(): Promise<void>;
}

/** What a journey may ask of its server (B8: a queue job that runs often, an SMTP server). */
export type StageOptions = Parameters<typeof startTestServer>[0];

export async function openStage(options: StageOptions = {}): Promise<Stage> {
	mkdirSync(SHOTS, { recursive: true });
	const server = await startTestServer(options);
	const browser = await chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		args: [
			'--headless',
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
	const cspViolations: string[] = [];
	return {
		server,
		browser,
		cspViolations,
		async open(width, height, path, cookies) {
			const context = await browser.newContext({ viewport: { width, height }, baseURL: server.url });
			if (cookies?.size)
				await context.addCookies([...cookies].map(([name, value]) => ({ name, value, url: server.url, httpOnly: true, sameSite: 'Lax' as const })));
			// Every blocked load, script or style is reported twice: as the browser's own console
			// error and as this event (also for what the console does not show).
			await context.addInitScript(() =>
				document.addEventListener('securitypolicyviolation', (e) =>
					console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`)
				)
			);
			const page = await context.newPage();
			page.setDefaultTimeout(WAIT);
			page.on('pageerror', (err) => console.error(`[browser ${path}]`, err));
			page.on('console', (m) => {
				if (/content security policy|CSP violation/i.test(m.text())) cspViolations.push(`${path}: ${m.text()}`);
			});
			await page.goto(path);
			return page;
		},
		async close() {
			await browser.close().catch(() => undefined);
			await server.stop();
		}
	};
}

/** One stage for the whole test file: opened before its tests, closed after them. */
export function stageForFile(options?: () => StageOptions | Promise<StageOptions>): () => Stage {
	let stage: Stage | undefined;
	beforeAll(async () => {
		stage = await openStage(await options?.());
	});
	afterAll(async () => {
		const violations = stage?.cspViolations ?? [];
		await stage?.close();
		// The pages' Content-Security-Policy (server/http/security-policy.js) must let the app work.
		expect(violations).toEqual([]);
	});
	return () => stage!;
}

/** Numbered screenshots of a journey: test-results/<prefix>-01-<name>.png, … */
export function screenshots(prefix: string) {
	let step = 0;
	return (page: Page, name: string) =>
		page.screenshot({ path: join(SHOTS, `${prefix}-${String(++step).padStart(2, '0')}-${name}.png`), animations: 'disabled' });
}

/** Signs in on /agent and sets the agent Available. */
export async function signInAvailable(stage: Stage, email: string, width = 1280, height = 800) {
	const page = await stage.open(width, height, '/agent');
	await page.getByTestId('login-email').fill(email);
	await page.getByTestId('login-password').fill('parley-demo');
	await page.getByTestId('login-submit').click();
	await page.getByTestId('presence-available').click();
	await page.locator('[data-testid="presence-available"][aria-pressed="true"]').waitFor();
	return page;
}

/**
 * Starts a chat on /chat as a customer on a phone-sized screen (email: the first name
 * @example.com). `cookies`: what the browser already holds, e.g. a returning customer's chat cookies.
 */
export async function startCustomerChat(stage: Stage, name: string, topic: 'Billing' | 'Technical', cookies?: ReadonlyMap<string, string>) {
	return fillStartForm(await stage.open(390, 844, '/chat', cookies), name, topic);
}

/** Fills and sends the start form on a customer page that shows it. */
export async function fillStartForm(page: Page, name: string, topic: 'Billing' | 'Technical') {
	await page.getByTestId('start-name').fill(name);
	await page.getByTestId('start-email').fill(`${name.split(' ')[0].toLowerCase()}@example.com`);
	await page.getByTestId('start-topic').selectOption({ label: topic });
	await page.getByTestId('start-submit').click();
	await page.getByTestId('chat-view').waitFor();
	return page;
}

/** Sends one message from the composer with Enter. */
export async function say(page: Page, text: string) {
	await page.getByTestId('composer').fill(text);
	await page.getByTestId('composer').press('Enter');
}
