/**
 * Prometheus instruments (prom-client). Label children are cached per route/method/status
 * so the hot path does one Map lookup instead of prom-client's label hashing.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface ModelLabels {
  name: string | null;
  version: string | null;
  alias: string | null;
  uri: string | null;
  digest: string | null;
}

export interface ServeMetrics {
  readonly registry: Registry;
  observeRequest(route: string, method: string, status: number, seconds: number): void;
  countPredictions(classLabel: string, n: number): void;
  setModel(model: ModelLabels | null): void;
  countReload(result: 'loaded' | 'unchanged' | 'failed' | 'none'): void;
}

interface RequestChildren {
  count: { inc(): void };
  duration: { observe(v: number): void };
}

export function createMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'irisops_http_requests_total',
    help: 'HTTP requests answered, by route, method and status',
    labelNames: ['route', 'method', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'irisops_http_request_duration_seconds',
    help: 'time from request to response, by route and status',
    labelNames: ['route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'irisops_predictions_total',
    help: 'predictions made, by predicted class',
    labelNames: ['class'] as const,
    registers: [registry],
  });
  const modelInfo = new Gauge({
    name: 'irisops_model_info',
    help: 'the model being served (value 1), with its registry name, version, alias, URI and digest',
    labelNames: ['name', 'version', 'alias', 'uri', 'digest'] as const,
    registers: [registry],
    // with --workers every process reports the same model: do not add them up
    aggregator: 'max',
  });
  const modelLoaded = new Gauge({
    name: 'irisops_model_loaded',
    help: '1 when a model is loaded',
    registers: [registry],
    aggregator: 'min',
  });
  const reloads = new Counter({
    name: 'irisops_model_reloads_total',
    help: 'model reload attempts, by result',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  modelLoaded.set(0);

  const children = new Map<string, RequestChildren>();
  const classChildren = new Map<string, { inc(n: number): void }>();

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      const key = `${route} ${method} ${status}`;
      let c = children.get(key);
      if (!c) {
        const s = String(status);
        c = { count: requests.labels(route, method, s), duration: duration.labels(route, s) };
        children.set(key, c);
      }
      c.count.inc();
      c.duration.observe(seconds);
    },
    countPredictions(classLabel, n) {
      let c = classChildren.get(classLabel);
      if (!c) {
        c = predictions.labels(classLabel);
        classChildren.set(classLabel, c);
      }
      c.inc(n);
    },
    setModel(model) {
      modelInfo.reset();
      if (model) {
        modelInfo
          .labels(
            model.name ?? '',
            model.version ?? '',
            model.alias ?? '',
            model.uri ?? '',
            model.digest ?? '',
          )
          .set(1);
      }
      modelLoaded.set(model ? 1 : 0);
    },
    countReload(result) {
      reloads.labels(result).inc();
    },
  };
}
