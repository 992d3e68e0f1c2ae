/**
 * A strict reader of the Prometheus text exposition format 0.0.4, as a scraper would read it:
 * throws on any line it would reject. Returns every sample by name and labels.
 */
export interface Scrape {
	types: Map<string, string>;
	/** `name{a="x",b="y"}` (labels sorted) → value. */
	samples: Map<string, number>;
	value(name: string, labels?: Record<string, string>): number | undefined;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const LABEL = `[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"`;
const SAMPLE = new RegExp(`^(${NAME})(?:\\{((?:${LABEL})(?:,${LABEL})*)?\\})? (\\S+)$`);
const VALUE = /^(?:[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+)|[+-]Inf|NaN)$/;

export function parsePrometheus(text: string): Scrape {
	if (!text.endsWith('\n')) throw new Error('the exposition must end with a line feed');
	const types = new Map<string, string>();
	const samples = new Map<string, number>();
	for (const line of text.slice(0, -1).split('\n')) {
		if (line.startsWith('# HELP ')) continue;
		const type = line.match(new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`));
		if (type) {
			if (types.has(type[1])) throw new Error(`TYPE given twice for ${type[1]}`);
			types.set(type[1], type[2]);
			continue;
		}
		if (line.startsWith('#')) throw new Error(`a comment that is neither HELP nor TYPE: ${line}`);
		const m = line.match(SAMPLE);
		if (!m || !VALUE.test(m[3])) throw new Error(`not a sample line: ${line}`);
		const family = m[1].replace(/_(bucket|sum|count)$/, '');
		if (!types.has(m[1]) && types.get(family) !== 'histogram') throw new Error(`sample before its TYPE: ${line}`);
		const key = keyOf(m[1], labelsOf(m[2] ?? ''));
		if (samples.has(key)) throw new Error(`sample given twice: ${key}`);
		samples.set(key, m[3] === '+Inf' ? Infinity : m[3] === '-Inf' ? -Infinity : Number(m[3]));
	}
	return { types, samples, value: (name, labels = {}) => samples.get(keyOf(name, labels)) };
}

function labelsOf(text: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const m of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
		out[m[1]] = m[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
	return out;
}

function keyOf(name: string, labels: Record<string, string>): string {
	const parts = Object.keys(labels)
		.sort()
		.map((k) => `${k}=${JSON.stringify(labels[k])}`);
	return parts.length ? `${name}{${parts.join(',')}}` : name;
}

/** Every histogram's buckets are cumulative and its +Inf bucket equals its count. */
export function checkHistograms(scrape: Scrape) {
	for (const [name, type] of scrape.types) {
		if (type !== 'histogram') continue;
		const series = new Map<string, { le: number; v: number }[]>();
		for (const [key, v] of scrape.samples) {
			const m = key.match(new RegExp(`^${name}_bucket\\{(.*)\\}$`));
			if (!m) continue;
			const le = JSON.parse(m[1].match(/le=("[^"]*")/)![1]);
			const rest = m[1].replace(/,?le="[^"]*"/, '').replace(/^,/, '');
			series.set(rest, [...(series.get(rest) ?? []), { le: le === '+Inf' ? Infinity : Number(le), v }]);
		}
		for (const [rest, buckets] of series) {
			buckets.sort((a, b) => a.le - b.le);
			buckets.forEach((b, i) => {
				if (i > 0 && b.v < buckets[i - 1].v) throw new Error(`${name}{${rest}}: buckets not cumulative`);
			});
			const count = scrape.samples.get(rest ? `${name}_count{${rest}}` : `${name}_count`);
			if (buckets.at(-1)?.le !== Infinity || buckets.at(-1)?.v !== count) throw new Error(`${name}{${rest}}: +Inf bucket is not the count`);
		}
	}
}
