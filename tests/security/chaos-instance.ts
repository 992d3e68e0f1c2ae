import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// One server for the crash tests: tests/security/chaos-server.ts as a child process, SIGKILLed
// and started again on the same port (the first start takes any free one).

const ENTRY = resolve(dirname(fileURLToPath(import.meta.url)), 'chaos-server.ts');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export class ChaosInstance {
	proc: ChildProcess | null = null;
	up = false;
	port = 0;

	constructor(
		readonly name: string,
		/** DATA_DIR, and for a cluster CHILD_DATABASE_URL, REDIS_URL, REDIS_PREFIX. */
		private readonly env: Record<string, string>
	) {}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** Resolves once the child prints its port; fails if it exits before. */
	start(): Promise<void> {
		return new Promise((ok, fail) => {
			const proc = spawn(process.execPath, ['--import', 'tsx', ENTRY], {
				cwd: ROOT,
				env: { ...process.env, ...this.env, PORT: String(this.port), CHAOS_NO_MESSAGE_BUDGET: '1' },
				stdio: ['ignore', 'pipe', 'pipe']
			});
			this.proc = proc;
			let out = '';
			let err = '';
			proc.stderr!.on('data', (d) => (err += d));
			proc.stdout!.on('data', (d) => {
				out += d;
				const m = /PORT (\d+)/.exec(out);
				if (m && !this.up) {
					this.up = true;
					this.port = Number(m[1]);
					ok();
				}
			});
			proc.on('exit', (code, signal) => {
				if (this.proc === proc) this.up = false;
				if (!/PORT \d+/.test(out)) fail(new Error(`${this.name} exited (${code ?? signal}) before listening: ${err.slice(-2000)}`));
			});
		});
	}

	/** SIGKILL, and wait until the process is gone (its port is free again). */
	async kill(): Promise<void> {
		const proc = this.proc;
		this.up = false;
		if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
		const gone = new Promise((ok) => proc.once('exit', ok));
		proc.kill('SIGKILL');
		await gone;
	}
}
