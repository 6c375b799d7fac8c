/**
 * Everything a command shows a person goes through here: one JSON document on stdout for
 * --json, human lines otherwise; notes, warnings and progress on stderr. Each stream gets
 * the colours its own terminal allows.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Context } from '../context.js';
import { metricNumber } from '../tracking/metric-json.js';

export interface Output {
  /** --json was asked: stdout carries one document and notes stay quiet */
  readonly json: boolean;
  /** colours for what goes to stdout */
  readonly c: ChalkInstance;
  /** colours for what goes to stderr */
  readonly ec: ChalkInstance;
  print(line?: string): void;
  printJson(value: unknown): void;
  /** notes and next steps: suppressed by --quiet and by --json */
  note(line: string): void;
  warn(line: string, hint?: string): void;
}

export function createOutput(ctx: Context, json = false): Output {
  const c = new Chalk({ level: ctx.color.stdout ? 1 : 0 });
  const ec = new Chalk({ level: ctx.color.stderr ? 1 : 0 });
  return {
    json,
    c,
    ec,
    print: (line = '') => ctx.stdout.write(`${line}\n`),
    printJson: (value) => ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (line) => {
      if (!ctx.quiet && !json) ctx.stderr.write(`${line}\n`);
    },
    warn: (line, hint) => {
      ctx.stderr.write(`${ec.yellow('warning:')} ${line}\n`);
      if (hint) ctx.stderr.write(`${ec.dim('hint:')} ${hint}\n`);
    },
  };
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** A metric in a table: four decimals, NaN and the infinities by name, '-' when absent. */
export function formatMetricValue(value: unknown): string {
  const n = metricNumber(value);
  if (n === undefined) return '-';
  return Number.isFinite(n) ? n.toFixed(4) : String(n);
}

export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}
