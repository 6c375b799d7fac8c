/**
 * Steps of a long command: an ora spinner when stderr is a terminal, plain "✔ step" lines
 * otherwise (CI logs, 2>log), nothing with --quiet or --json.
 */
import type { Ora } from 'ora';
import type { Context } from '../context.js';
import { createOutput } from './output.js';

export interface Progress {
  start(step: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

/** Whether stderr shows a spinner that redraws itself (a sized terminal, not CI). */
export function animated(ctx: Context): boolean {
  // a terminal of no width (a pty nobody sized, as some CI runners and `script` give) would
  // send ora's line count to infinity: plain lines there
  const sized = (process.stderr.columns ?? 0) > 0;
  return Boolean(ctx.stderr.isTTY) && sized && ctx.env.CI !== 'true';
}

/** An ora spinner on stderr; ora loads only now. */
export async function createSpinner(ctx: Context): Promise<Ora> {
  const { default: ora } = await import('ora');
  return ora({
    // the context's stderr is the process's whenever it is a terminal
    stream: process.stderr,
    color: ctx.color.stderr ? 'cyan' : false,
    isEnabled: true,
  });
}

export async function createProgress(ctx: Context, enabled: boolean): Promise<Progress> {
  if (!enabled || ctx.quiet) {
    return { start() {}, succeed() {}, fail() {}, stop() {} };
  }
  const { ec } = createOutput(ctx);
  const ok = ec.green('✔');
  const bad = ec.red('✖');
  let current = '';
  if (animated(ctx)) {
    const spinner = await createSpinner(ctx);
    return {
      start(step) {
        current = step;
        spinner.start(step);
      },
      succeed: (text) => spinner.stopAndPersist({ symbol: ok, text: text ?? current }),
      fail: (text) => spinner.stopAndPersist({ symbol: bad, text: text ?? current }),
      stop: () => spinner.stop(),
    };
  }
  return {
    start(step) {
      current = step;
    },
    succeed: (text) => ctx.stderr.write(`${ok} ${text ?? current}\n`),
    fail: (text) => ctx.stderr.write(`${bad} ${text ?? current}\n`),
    stop() {},
  };
}
