/**
 * The per-request instruments (request count by route/method/status, latency histogram by
 * route/status) kept as plain numbers on the hot path (plain-histogram.ts says why) and
 * turned into Prometheus series when /metrics is scraped.
 */
import { Counter, type Registry } from 'prom-client';
import {
  addSeries,
  newSeries,
  observeInto,
  registerPlainHistogram,
  type HistogramSeries,
} from './plain-histogram.js';

interface Series extends HistogramSeries {
  route: string;
  method: string;
  status: string;
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
      s = { ...newSeries({}), route, method, status: String(status) };
      byStatus.set(status, s);
      all.push(s);
    }
    return s;
  };
  return { all, seriesFor };
}

/** One histogram per route and status, whatever the method. */
function mergeByRouteStatus(all: Series[]): Iterable<HistogramSeries> {
  const merged = new Map<string, HistogramSeries>();
  for (const s of all) {
    const key = `${s.route} ${s.status}`;
    let m = merged.get(key);
    if (!m) merged.set(key, (m = newSeries({ route: s.route, status: s.status })));
    addSeries(m, s);
  }
  return merged.values();
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
  registerPlainHistogram(
    registry,
    'irisops_http_request_duration_seconds',
    'time from request to response, by route and status',
    () => mergeByRouteStatus(all),
  );
  return {
    observe(route, method, status, seconds) {
      observeInto(seriesFor(route, method, status), seconds);
    },
  };
}
