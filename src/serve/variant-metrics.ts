/**
 * Per-variant instruments: requests, latency and predictions by class for each variant,
 * shadow agreement, labelled feedback and live accuracy. Children are bound once per label
 * set, so the hot path never hashes a label object.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS } from './request-metrics.js';

export type ShadowResult = 'agree' | 'disagree' | 'failed' | 'skipped';

export interface VariantMetrics {
  request(variant: string, seconds: number): void;
  predicted(variant: string, classLabel: string, n: number): void;
  shadow(result: ShadowResult): void;
  feedback(variant: string, correct: boolean): void;
}

export function registerVariantMetrics(
  registry: Registry,
  accuracyOf: () => Record<string, number | null>,
): VariantMetrics {
  const requests = new Counter({
    name: 'irisops_variant_requests_total',
    help: 'prediction requests answered, by variant',
    labelNames: ['variant'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'irisops_variant_request_duration_seconds',
    help: 'time from request to answer of prediction requests, by variant',
    labelNames: ['variant'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const predictions = new Counter({
    name: 'irisops_variant_predictions_total',
    help: 'predictions made, by variant and predicted class',
    labelNames: ['variant', 'class'] as const,
    registers: [registry],
  });
  const shadow = new Counter({
    name: 'irisops_shadow_predictions_total',
    help: 'shadow predictions, by result: agree or disagree with the answer sent, failed, skipped',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const feedback = new Counter({
    name: 'irisops_feedback_labels_total',
    help: 'true labels received through /feedback that matched an answer, by variant and result',
    labelNames: ['variant', 'result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'irisops_variant_accuracy',
    help: 'accuracy of the labelled answers, by variant (absent until a label arrives)',
    labelNames: ['variant'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [variant, value] of Object.entries(accuracyOf()))
        if (value !== null) this.set({ variant }, value);
    },
  });
  const bound = new Map<string, { inc(n?: number): void }>();
  const child = (key: string, make: () => { inc(n?: number): void }) => {
    let c = bound.get(key);
    if (!c) bound.set(key, (c = make()));
    return c;
  };
  const timers = new Map<string, { observe(v: number): void }>();
  return {
    request(variant, seconds) {
      child(`r ${variant}`, () => requests.labels(variant)).inc();
      let t = timers.get(variant);
      if (!t) timers.set(variant, (t = latency.labels(variant)));
      t.observe(seconds);
    },
    predicted(variant, classLabel, n) {
      child(`p ${variant} ${classLabel}`, () => predictions.labels(variant, classLabel)).inc(n);
    },
    shadow(result) {
      child(`s ${result}`, () => shadow.labels(result)).inc();
    },
    feedback(variant, correct) {
      const result = correct ? 'correct' : 'wrong';
      child(`f ${variant} ${result}`, () => feedback.labels(variant, result)).inc();
    },
  };
}
