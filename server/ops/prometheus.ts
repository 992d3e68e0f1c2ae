// The Prometheus text exposition format, version 0.0.4: enough of it for counters, gauges and
// histograms (https://prometheus.io/docs/instrumenting/exposition_formats/).

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Record<string, string>;
export interface Sample {
	labels?: Labels;
	value: number;
}

/** One metric family: HELP, TYPE, then its samples (none is fine: the family exists, nothing counted yet). */
export function family(name: string, type: 'counter' | 'gauge', help: string, samples: readonly Sample[]): string {
	const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`];
	for (const s of samples) lines.push(`${name}${labelText(s.labels)} ${numberText(s.value)}`);
	return lines.join('\n') + '\n';
}

/** Observations of one label set: counts per bucket (not cumulative), their sum and count. */
export interface HistogramSeries {
	labels: Labels;
	counts: number[];
	sum: number;
	count: number;
}

export function histogramFamily(name: string, help: string, bounds: readonly number[], series: Iterable<HistogramSeries>): string {
	const lines = [`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} histogram`];
	for (const s of series) {
		let cumulative = 0;
		bounds.forEach((le, i) => {
			cumulative += s.counts[i];
			lines.push(`${name}_bucket${labelText({ ...s.labels, le: numberText(le) })} ${cumulative}`);
		});
		lines.push(`${name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
		lines.push(`${name}_sum${labelText(s.labels)} ${numberText(s.sum)}`);
		lines.push(`${name}_count${labelText(s.labels)} ${s.count}`);
	}
	return lines.join('\n') + '\n';
}

function labelText(labels: Labels | undefined): string {
	if (!labels) return '';
	const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
	return parts.length ? `{${parts.join(',')}}` : '';
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const escapeHelp = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');

function numberText(n: number): string {
	if (Number.isNaN(n)) return 'NaN';
	if (n === Infinity) return '+Inf';
	if (n === -Infinity) return '-Inf';
	return String(n);
}
