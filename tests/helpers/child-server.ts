import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { TestServer } from './server';

const ENTRY = fileURLToPath(new URL('../security/chaos-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The real server as a child process on `dataDir` (tests/security/chaos-server.ts), to be SIGKILLed. */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}) {
	const proc: ChildProcess = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
		cwd: ROOT,
		env: { ...process.env, DATA_DIR: dataDir, PORT: '0', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	const exited = new Promise<string>((ok) => proc.once('exit', (code, signal) => ok(signal ?? String(code))));
	const port = await new Promise<number>((ok, fail) => {
		let out = '';
		let err = '';
		proc.stdout!.on('data', (d) => {
			out += d;
			const m = /PORT (\d+)/.exec(out);
			if (m) ok(Number(m[1]));
		});
		proc.stderr!.on('data', (d) => (err += d));
		proc.once('exit', (code, signal) => fail(new Error(`server exited (${signal ?? code}) before listening: ${err.slice(-2000)}`)));
	});
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		port,
		/** Enough of a TestServer for the API helpers (signIn, startCustomerChat). */
		asTestServer: { url } as TestServer,
		/** How the process ended ('SIGKILL' when it killed itself or was killed). */
		exited,
		async kill() {
			if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
			return exited;
		}
	};
}
