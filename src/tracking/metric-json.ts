/**
 * Metric values in JSON documents. MLflow logs NaN and the infinities, JSON has no such
 * numbers (JSON.stringify writes null), so they travel as the text "NaN", "Infinity" and
 * "-Infinity", as protobuf's JSON and so MLflow's REST API spell them; `metric_value` in
 * iris.schema.json says so. The REST client (mlflow-wire.ts) reads and writes them here too.
 */
import type { RunsList } from '../schemas/types.js';

export type MetricJson = RunsList['runs'][number]['metrics'][string];

const NOT_FINITE: ReadonlySet<unknown> = new Set(['NaN', 'Infinity', '-Infinity']);

/** A double as protobuf's JSON gives it: a number, or one of the three texts. */
export function double(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN') return Number.NaN;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  return Number(value);
}

/** A double for protobuf's JSON: finite ones as numbers, the others as their text. */
export function wireDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** The metrics for a document: the same object when every value is finite (the usual case). */
export function metricsToJson(metrics: Record<string, number>): Record<string, MetricJson> {
  let json: Record<string, MetricJson> = metrics;
  // for-in, not Object.entries: a listing of every run calls this once per run
  for (const key in metrics) {
    const value = metrics[key] as number;
    if (Number.isFinite(value)) continue;
    if (json === metrics) json = { ...metrics };
    json[key] = wireDouble(value) as MetricJson;
  }
  return json;
}

/** A document's metric value as a number; undefined for anything but a number or that text. */
export function metricNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return NOT_FINITE.has(value) ? double(value) : undefined;
}

/** A document's metrics as numbers; null when a value is neither a number nor that text. */
export function metricsFromJson(json: unknown): Record<string, number> | null {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return null;
  let metrics = json as Record<string, number>;
  for (const key in json) {
    const value = (json as Record<string, unknown>)[key];
    if (typeof value === 'number') continue;
    const n = metricNumber(value);
    if (n === undefined) return null;
    if (metrics === json) metrics = { ...metrics };
    metrics[key] = n;
  }
  return metrics;
}
