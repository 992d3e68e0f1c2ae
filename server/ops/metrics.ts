import { family, histogramFamily, type HistogramSeries } from './prometheus';

/**
 * What the sync side reports (server/sync may import this; it imports nothing of the server).
 *
 * The gateway reports every close it decides through its `refused` hook (wired in app-server).
 * Appended updates are counted from outside (CountingStorage in ./counting-storage.ts), once
 * they are committed.
 */
export interface SyncMetrics {
	/** Updates written to the document log (client and server writes). */
	updatesAppended(count: number): void;
	/** The server closed a sync socket with this close code (README "Live documents"). */
	syncRefusal(code: number): void;
}

/** Read at scrape time, from the parts that know. */
export interface MetricSources {
	connections(): number;
	documentsLoaded(): number;
}

/** Request durations: 5 ms … 10 s (Prometheus' default buckets). */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/**
 * The server's counters for GET /metrics (README "Operations"). One per server, passed in where
 * things happen; never a module singleton (tests run several servers in one process).
 */
export class Metrics implements SyncMetrics {
	private appended = 0;
	private readonly refusals = new Map<number, number>();
	private readonly latency = new Map<string, HistogramSeries>();
	private sources: MetricSources = { connections: () => 0, documentsLoaded: () => 0 };

	/** Wires the scrape-time readings (the parts are built after the metrics). */
	readFrom(sources: MetricSources) {
		this.sources = sources;
	}

	updatesAppended(count: number) {
		this.appended += count;
	}

	syncRefusal(code: number) {
		this.refusals.set(code, (this.refusals.get(code) ?? 0) + 1);
	}

	/**
	 * One answered HTTP request. `route` is the route's pattern (`/api/chats/:id`), never the raw
	 * path: a label per chat id would grow without end.
	 */
	httpRequest(method: string, route: string, status: number, seconds: number) {
		const labels = { method: METHODS.has(method) ? method : 'OTHER', route, status: `${Math.floor(status / 100)}xx` };
		const key = `${labels.method} ${labels.route} ${labels.status}`;
		let series = this.latency.get(key);
		if (!series) this.latency.set(key, (series = { labels, counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }));
		const bucket = LATENCY_BUCKETS.findIndex((le) => seconds <= le);
		if (bucket >= 0) series.counts[bucket]++;
		series.sum += seconds;
		series.count++;
	}

	/** The exposition text (format 0.0.4). */
	render(): string {
		const memory = process.memoryUsage();
		return [
			family('parley_sync_connections', 'gauge', 'WebSocket connections open on /sync/ (from the upgrade until the socket closes).', [
				{ value: this.sources.connections() }
			]),
			family('parley_documents_loaded', 'gauge', 'Live documents loaded in memory (asleep or awake).', [{ value: this.sources.documentsLoaded() }]),
			family('parley_updates_appended_total', 'counter', 'Document updates appended to the log by this process.', [{ value: this.appended }]),
			family(
				'parley_sync_refusals_total',
				'counter',
				'Sync sockets the server closed, by close code (README "Live documents").',
				[...this.refusals].map(([code, value]) => ({ labels: { code: String(code) }, value }))
			),
			histogramFamily(
				'parley_http_request_duration_seconds',
				'HTTP requests by method, route pattern and status class, until the answer was ready.',
				LATENCY_BUCKETS,
				this.latency.values()
			),
			family('process_resident_memory_bytes', 'gauge', 'Resident set size of the process.', [{ value: memory.rss }]),
			family('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap in use.', [{ value: memory.heapUsed }]),
			family('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap allocated.', [{ value: memory.heapTotal }]),
			family('nodejs_external_memory_bytes', 'gauge', 'Memory of C++ objects bound to JavaScript (buffers and the like).', [
				{ value: memory.external }
			])
		].join('');
	}
}
