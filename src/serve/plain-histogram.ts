/**
 * Latency histograms kept as plain numbers on the hot path and turned into Prometheus
 * series only when /metrics is scraped. prom-client's labelled observe() hashes its label
 * object on every call, which cost several percent of a core at tens of thousands of
 * requests per second. The family is registered in the prom-client registry like any other
 * metric: same text format, summed across --workers.
 */
import type { Registry } from 'prom-client';

export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

export interface HistogramSeries {
  labels: Record<string, string>;
  count: number;
  sum: number;
  /** observations per bucket (not cumulative); the last slot is above the largest bound */
  buckets: Float64Array;
}

interface PromValue {
  metricName?: string;
  labels: Record<string, string | number>;
  value: number;
}

export function newSeries(labels: Record<string, string>): HistogramSeries {
  return { labels, count: 0, sum: 0, buckets: new Float64Array(LATENCY_BUCKETS.length + 1) };
}

export function observeInto(s: HistogramSeries, seconds: number): void {
  s.count += 1;
  s.sum += seconds;
  let i = 0;
  while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
  s.buckets[i] = (s.buckets[i] as number) + 1;
}

/** Adds `from` into `into` (both with the same buckets). */
export function addSeries(into: HistogramSeries, from: HistogramSeries): void {
  into.count += from.count;
  into.sum += from.sum;
  from.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] as number) + n));
}

function histogramValues(name: string, all: Iterable<HistogramSeries>): PromValue[] {
  const values: PromValue[] = [];
  for (const s of all) {
    const { labels } = s;
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += s.buckets[i] ?? 0;
      values.push({ metricName: `${name}_bucket`, labels: { le, ...labels }, value: cumulative });
    });
    values.push({
      metricName: `${name}_bucket`,
      labels: { le: '+Inf', ...labels },
      value: s.count,
    });
    values.push({ metricName: `${name}_sum`, labels, value: s.sum });
    values.push({ metricName: `${name}_count`, labels, value: s.count });
  }
  return values;
}

/** Registers a histogram family whose series are read from `read` at scrape time. */
export function registerPlainHistogram(
  registry: Registry,
  name: string,
  help: string,
  read: () => Iterable<HistogramSeries>,
): void {
  registry.registerMetric({
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    reset() {},
    async get() {
      return {
        name,
        help,
        type: 'histogram',
        values: histogramValues(name, read()),
        aggregator: 'sum',
      };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
}
