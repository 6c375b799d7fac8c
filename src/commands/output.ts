/**
 * Rendering helpers shared by commands: one JSON document on stdout for --json, human
 * lines otherwise; progress and warnings on stderr; colour only when allowed.
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Context } from '../context.js';

export function colors(ctx: Context): ChalkInstance {
  return new Chalk({ level: ctx.color ? 1 : 0 });
}

export function printJson(ctx: Context, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function println(ctx: Context, line = ''): void {
  ctx.stdout.write(`${line}\n`);
}

/** notes and next steps: suppressed by --quiet and by --json (stdout stays one document) */
export function note(ctx: Context, line: string, json = false): void {
  if (!ctx.quiet && !json) ctx.stderr.write(`${line}\n`);
}

export function warn(ctx: Context, line: string): void {
  ctx.stderr.write(`${colors(ctx).yellow('warning:')} ${line}\n`);
}

export function shortId(id: string): string {
  return id.slice(0, 8);
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
