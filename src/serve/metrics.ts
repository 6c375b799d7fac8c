/**
 * Prometheus instruments (prom-client). The per-request ones live in request-metrics.ts,
 * counted as plain numbers and read at scrape time; predictions by class likewise.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { registerRequestMetrics } from './request-metrics.js';

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

export function createMetrics(): ServeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = registerRequestMetrics(registry);
  const predicted = new Map<string, number>();
  new Counter({
    name: 'irisops_predictions_total',
    help: 'predictions made, by predicted class',
    labelNames: ['class'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [label, n] of predicted) this.inc({ class: label }, n);
    },
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

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requests.observe(route, method, status, seconds);
    },
    countPredictions(classLabel, n) {
      predicted.set(classLabel, (predicted.get(classLabel) ?? 0) + n);
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
