// Linux /proc readers (CPU seconds of a process or thread, peak RSS), plus percentiles.
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticks = 100;
try {
	ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
} catch {
	/* keep the usual 100 */
}

/** utime + stime in seconds from a /proc/.../stat file, or null when unreadable. */
export function cpuSecondsFromStat(path: string): number | null {
	try {
		const stat = readFileSync(path, 'utf8');
		// The command name (field 2) may contain spaces and parentheses: split after the last ')'.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		// fields[0] is field 3 (state); utime is field 14, stime field 15.
		return (Number(fields[11]) + Number(fields[12])) / ticks;
	} catch {
		return null;
	}
}

export const processCpuSeconds = (pid: number) => cpuSecondsFromStat(`/proc/${pid}/stat`);
/** CPU seconds of the calling thread (works inside a worker thread). */
export const threadCpuSeconds = () => cpuSecondsFromStat('/proc/thread-self/stat');

/** A field of /proc/<pid>/status in kB (VmHWM = peak RSS, VmRSS = current RSS). */
export function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | null {
	try {
		const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

/** Nearest-rank percentile of an ascending sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
	if (sorted.length === 0) return null;
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const round = (x: number | null, digits = 2) =>
	x === null || !Number.isFinite(x) ? null : Math.round(x * 10 ** digits) / 10 ** digits;

/** Whole-machine CPU from /proc/stat: busy and total seconds summed over all CPUs. */
export function machineCpuSeconds(): { busy: number; total: number } | null {
	try {
		const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
		const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
		const busy = user + nice + system + irq + softirq + (steal || 0);
		return { busy: busy / ticks, total: (busy + idle + (iowait || 0)) / ticks };
	} catch {
		return null;
	}
}

/** "some" avg10 of /proc/pressure/cpu: % of the last 10 s in which runnable tasks waited for a CPU. */
export function cpuPressureAvg10(): number | null {
	try {
		const m = /^some avg10=([\d.]+)/m.exec(readFileSync('/proc/pressure/cpu', 'utf8'));
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

/** /proc/.../schedstat: seconds on a CPU and seconds runnable but waiting for one. */
export function schedSeconds(path: string): { run: number; wait: number } | null {
	try {
		const [run, wait] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
		return { run: run / 1e9, wait: wait / 1e9 };
	} catch {
		return null;
	}
}
