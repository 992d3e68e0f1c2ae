import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCustomerChat } from '../helpers/api';
import type { TestServer } from '../helpers/server';
import { connectDoc } from '../helpers/yclient';

// B5, a rolling restart (README "Scaling out"): `npm start` with DRAIN_SECONDS, then SIGTERM.
// Readiness goes 503 at once while everything else is still served; the sockets close with 4503
// only when the drain is over, and the process then ends on its own.

const ROOT = new URL('../..', import.meta.url).pathname;
let cleanup: (() => void)[] = [];
afterEach(() => {
	for (const f of cleanup.splice(0)) f();
});

function startMain(env: Record<string, string>) {
	const dataDir = mkdtempSync(join(tmpdir(), 'parley-drain-'));
	// One instance on SQLite, whatever the shell's DATABASE_URL and REDIS_URL say.
	const { DATABASE_URL: _db, REDIS_URL: _redis, ...rest } = process.env;
	const proc = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
		cwd: ROOT,
		env: { ...rest, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	cleanup.push(() => {
		proc.kill('SIGKILL');
		rmSync(dataDir, { recursive: true, force: true });
	});
	let out = '';
	proc.stdout.on('data', (d) => (out += d));
	const exited = new Promise<{ code: number | null; at: number }>((ok) => proc.once('exit', (code) => ok({ code, at: Date.now() })));
	const url = new Promise<string>((ok, fail) => {
		proc.stdout.on('data', () => {
			const m = /Customer chat:\s+(http:\/\/\S+)\/chat/.exec(out);
			if (m) ok(m[1]);
		});
		proc.once('exit', (code) => fail(new Error(`exited (${code}) before listening: ${out}`)));
	});
	return { proc, url, exited, output: () => out };
}

describe('[B5] a rolling restart drains first', () => {
	it('[B5 drain] after SIGTERM, /api/ready is 503 while the health, the API and the open sockets still work; the sockets close with 4503 after DRAIN_SECONDS', async () => {
		const main = startMain({ DRAIN_SECONDS: '2' });
		const base = await main.url;
		const server = { url: base } as TestServer;
		const chat = await startCustomerChat(server);
		const client = connectDoc(base, `chat/${chat.chatId}`, chat.token);
		cleanup.push(() => client.destroy());
		await client.synced();
		expect((await fetch(`${base}/api/ready`)).status).toBe(200);

		const signalledAt = Date.now();
		main.proc.kill('SIGTERM');
		await expect.poll(async () => (await fetch(`${base}/api/ready`)).status).toBe(503);
		expect((await fetch(`${base}/api/health`)).status).toBe(200);
		// Still serving while draining: a new chat starts, the open socket is not closed.
		expect((await startCustomerChat(server, 'Billing', 'Robin', 'robin@example.com')).chatId).toBeTruthy();
		expect(client.closes).toEqual([]);

		await client.closedWith(4503);
		const { code, at } = await main.exited;
		expect(code).toBe(0);
		expect(at - signalledAt).toBeGreaterThanOrEqual(2000);
		expect(main.output()).toContain('Draining: not ready; closing in 2 s');
	}, 60_000);
});
