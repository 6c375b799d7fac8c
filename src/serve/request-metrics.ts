/**
 * The per-request instruments (request count by route/method/status, latency histogram by
 * route/status) kept as plain numbers on the hot path and turned into Prometheus series only
 * when /metrics is scraped. prom-client's labelled observe() hashes its label object on every
 * call, which cost several percent of a core at tens of thousands of requests per second.
 * Both are registered in the prom-client registry like any other metric (same text format,
 * same aggregation across --workers).
 */
import { Counter, type Registry } from 'prom-client';

export const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

interface Series {
  route: string;
  method: string;
  status: string;
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

export interface RequestMetrics {
  observe(route: string, method: string, status: number, seconds: number): void;
}

/** route → method → status: no string is built per request */
function seriesIndex() {
  const index = new Map<string, Map<string, Map<number, Series>>>();
  const all: Series[] = [];
  const seriesFor = (route: string, method: string, status: number): Series => {
    let byMethod = index.get(route);
    if (!byMethod) index.set(route, (byMethod = new Map()));
    let byStatus = byMethod.get(method);
    if (!byStatus) byMethod.set(method, (byStatus = new Map()));
    let s = byStatus.get(status);
    if (!s) {
      s = {
        route,
        method,
        status: String(status),
        count: 0,
        sum: 0,
        buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
      };
      byStatus.set(status, s);
      all.push(s);
    }
    return s;
  };
  return { all, seriesFor };
}

interface Merged {
  route: string;
  status: string;
  count: number;
  sum: number;
  buckets: number[];
}

/** One histogram per route and status, whatever the method. */
function mergeByRouteStatus(all: Series[]): Iterable<Merged> {
  const merged = new Map<string, Merged>();
  for (const s of all) {
    const key = `${s.route} ${s.status}`;
    let m = merged.get(key);
    if (!m) {
      m = { route: s.route, status: s.status, count: 0, sum: 0, buckets: [] };
      m.buckets = new Array<number>(s.buckets.length).fill(0);
      merged.set(key, m);
    }
    const into = m;
    into.count += s.count;
    into.sum += s.sum;
    s.buckets.forEach((n, i) => (into.buckets[i] = (into.buckets[i] ?? 0) + n));
  }
  return merged.values();
}

function histogramValues(name: string, all: Series[]): PromValue[] {
  const values: PromValue[] = [];
  for (const m of mergeByRouteStatus(all)) {
    const labels = { route: m.route, status: m.status };
    let cumulative = 0;
    LATENCY_BUCKETS.forEach((le, i) => {
      cumulative += m.buckets[i] ?? 0;
      values.push({ metricName: `${name}_bucket`, labels: { le, ...labels }, value: cumulative });
    });
    values.push({
      metricName: `${name}_bucket`,
      labels: { le: '+Inf', ...labels },
      value: m.count,
    });
    values.push({ metricName: `${name}_sum`, labels, value: m.sum });
    values.push({ metricName: `${name}_count`, labels, value: m.count });
  }
  return values;
}

export function registerRequestMetrics(registry: Registry): RequestMetrics {
  const { all, seriesFor } = seriesIndex();
  new Counter({
    name: 'irisops_http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const s of all)
        this.inc({ route: s.route, method: s.method, status: s.status }, s.count);
    },
  });
  const name = 'irisops_http_request_duration_seconds';
  const help = 'time from request to response, by route and status';
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
        values: histogramValues(name, all),
        aggregator: 'sum',
      };
    },
  } as unknown as Parameters<Registry['registerMetric']>[0]);
  return {
    observe(route, method, status, seconds) {
      const s = seriesFor(route, method, status);
      s.count += 1;
      s.sum += seconds;
      let i = 0;
      while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
      s.buckets[i] = (s.buckets[i] as number) + 1;
    },
  };
}
