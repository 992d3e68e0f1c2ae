import type { Page } from 'playwright-core';

/**
 * Records, through Chromium's DevTools protocol, everything that reaches a page: every WebSocket
 * frame it receives (binary frames decoded from base64) and every HTTP response body. Attach it
 * before the page does what is to be recorded.
 */
export async function recordWire(page: Page) {
	const cdp = await page.context().newCDPSession(page);
	await cdp.send('Network.enable');
	const frames: Buffer[] = [];
	const bodies: string[] = [];
	/** The response bodies as received (binary ones undamaged by decoding). */
	const raw: Buffer[] = [];
	const responses = new Set<string>();
	const pending: Promise<unknown>[] = [];
	cdp.on('Network.webSocketFrameReceived', (e) => {
		const { opcode, payloadData } = e.response;
		frames.push(opcode === 2 ? Buffer.from(payloadData, 'base64') : Buffer.from(payloadData, 'utf8'));
	});
	cdp.on('Network.responseReceived', (e) => responses.add(e.requestId));
	cdp.on('Network.loadingFinished', (e) => {
		if (!responses.has(e.requestId)) return;
		pending.push(
			cdp
				.send('Network.getResponseBody', { requestId: e.requestId })
				.then((r) => {
					const bytes = Buffer.from(r.body, r.base64Encoded ? 'base64' : 'utf8');
					raw.push(bytes);
					bodies.push(r.base64Encoded ? bytes.toString('utf8') : r.body);
				})
				.catch(() => undefined) // a body Chromium no longer holds (a redirect, an aborted load)
		);
	});
	return {
		frames,
		bodies,
		/** Everything received so far, as text (UTF-8, as Yjs encodes strings). */
		/** Whether any frame or response body holds these bytes (a file's content). */
		async holds(needle: Buffer): Promise<boolean> {
			await Promise.all(pending);
			return [...frames, ...raw].some((b) => b.includes(needle));
		},
		async text(): Promise<string> {
			await Promise.all(pending);
			return [...frames.map((f) => f.toString('utf8')), ...bodies].join('\n');
		}
	};
}
