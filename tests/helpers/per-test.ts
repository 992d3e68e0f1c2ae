import { afterEach } from 'vitest';
import { startTestServer, type TestServer } from './server';
import { connectDoc } from './yclient';

/**
 * A fresh test server per test, and everything a test opens, closed after it (last opened first).
 * Call at a test file's top level: it registers the afterEach.
 */
export function serverPerTest() {
	const cleanup: (() => unknown)[] = [];
	afterEach(async () => {
		for (const f of cleanup.splice(0).reverse()) await f();
	});
	let current: TestServer | null = null;
	return {
		/** Closed after the test, with the others. */
		cleanup,
		async boot(): Promise<TestServer> {
			const server = await startTestServer();
			current = server;
			cleanup.push(() => server.stop());
			return server;
		},
		/** A y-websocket client of the current server's document, destroyed after the test. */
		open(doc: string, token?: string) {
			const c = connectDoc(current!.url, doc, token);
			cleanup.push(c.destroy);
			return c;
		}
	};
}
