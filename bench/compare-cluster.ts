// The cluster point of `npm run bench:compare` (issue 13, B5): chats1000's load on PostgreSQL,
// first on one instance, then spread over two instances that share Redis (each chat's customer
// on one instance, its agent on the other). Its table prints what crossing instances costs.
import { Redis } from 'ioredis';

type Line = Record<string, unknown>;

/** null when Redis answers PING; otherwise why not (the point is then skipped, not failed). */
export async function redisUnreachable(url: string): Promise<string | null> {
	const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, connectTimeout: 3000 });
	redis.on('error', () => {});
	try {
		await redis.connect();
		return (await redis.ping()) === 'PONG' ? null : 'Redis did not answer PING';
	} catch (err) {
		return `no Redis at ${new URL(url).host} (${(err as Error).message}); pass --redis URL`;
	} finally {
		redis.disconnect();
	}
}

const fmt = (x: unknown, digits = 2) => (typeof x === 'number' ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(digits)) : 'n/a');

/** One instance against two, side by side, with the ratio (two / one). */
export function clusterTable(lines: Line[]): string | null {
	const pick = (n: number) => lines.find((l) => l.point === 'cluster1000' && l.instances === n && !('error' in l));
	const one = pick(1);
	const two = pick(2);
	if (!one && !two) return null;
	const rows: [string, (l: Line) => unknown][] = [
		['CPU per message, all instances (µs)', (l) => l.serverCpuUsPerMessage],
		['latency p50 (ms)', (l) => (l.latencyMs as { p50?: number })?.p50],
		['latency p99 (ms)', (l) => (l.latencyMs as { p99?: number })?.p99],
		['latency max (ms)', (l) => (l.latencyMs as { max?: number })?.max],
		['loss', (l) => l.loss],
		['deliveries/s', (l) => l.deliveriesPerSecond],
		['server CPU, all instances (s)', (l) => l.serverCpuSeconds],
		['peak RSS, all instances (MB)', (l) => l.serverPeakRssMB],
		['saturated', (l) => l.saturated]
	];
	const body = rows.map(([label, f]) => {
		const a = one ? f(one) : null;
		const b = two ? f(two) : null;
		const ratio = typeof a === 'number' && typeof b === 'number' && a !== 0 ? (b / a).toFixed(2) : '';
		const cell = (v: unknown) => (typeof v === 'string' ? v : fmt(v));
		return ['cluster1000', label, cell(a), cell(b), ratio];
	});
	const header = ['point', 'metric (parley on postgres)', '1 instance', '2 instances + Redis', '2 / 1'];
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
	const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i])).join(' | ') + ' |';
	return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}
