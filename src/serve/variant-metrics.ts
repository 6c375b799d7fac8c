/**
 * Per-variant instruments: requests, latency and predictions by class for each variant,
 * shadow agreement, labelled feedback and live accuracy. The per-request ones (requests,
 * latency, predictions) are plain numbers read at scrape time, as the route metrics are
 * (plain-histogram.ts); the rarer ones are prom-client children bound once per label set.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { newSeries, observeInto, registerPlainHistogram } from './plain-histogram.js';
import type { HistogramSeries } from './plain-histogram.js';

export type ShadowResult = 'agree' | 'disagree' | 'failed' | 'skipped';

export interface VariantMetrics {
  request(variant: string, seconds: number): void;
  predicted(variant: string, classLabel: string, n: number): void;
  shadow(result: ShadowResult): void;
  feedback(variant: string, correct: boolean): void;
}

/** requests and latency per variant, predictions per variant and class */
function registerHotVariantMetrics(registry: Registry) {
  const latency = new Map<string, HistogramSeries>();
  const predicted = new Map<string, Map<string, number>>();
  new Counter({
    name: 'irisops_variant_requests_total',
    help: 'prediction requests answered, by variant',
    labelNames: ['variant'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [variant, s] of latency) this.inc({ variant }, s.count);
    },
  });
  registerPlainHistogram(
    registry,
    'irisops_variant_request_duration_seconds',
    'time from request to answer of prediction requests, by variant',
    () => latency.values(),
  );
  new Counter({
    name: 'irisops_variant_predictions_total',
    help: 'predictions made, by variant and predicted class',
    labelNames: ['variant', 'class'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [variant, byClass] of predicted)
        for (const [label, n] of byClass) this.inc({ variant, class: label }, n);
    },
  });
  return {
    request(variant: string, seconds: number) {
      let s = latency.get(variant);
      if (!s) latency.set(variant, (s = newSeries({ variant })));
      observeInto(s, seconds);
    },
    predicted(variant: string, classLabel: string, n: number) {
      let byClass = predicted.get(variant);
      if (!byClass) predicted.set(variant, (byClass = new Map()));
      byClass.set(classLabel, (byClass.get(classLabel) ?? 0) + n);
    },
  };
}

export function registerVariantMetrics(
  registry: Registry,
  accuracyOf: () => Record<string, number | null>,
): VariantMetrics {
  const hot = registerHotVariantMetrics(registry);
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
  return {
    request: hot.request,
    predicted: hot.predicted,
    shadow(result) {
      child(`s ${result}`, () => shadow.labels(result)).inc();
    },
    feedback(variant, correct) {
      const result = correct ? 'correct' : 'wrong';
      child(`f ${variant} ${result}`, () => feedback.labels(variant, result)).inc();
    },
  };
}
