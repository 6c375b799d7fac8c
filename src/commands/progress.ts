/**
 * Steps of a long command: an ora spinner on a terminal, plain "✔ step" lines otherwise
 * (CI logs), nothing with --quiet or --json.
 */
import type { Context } from '../context.js';

export interface Progress {
  start(step: string): void;
  succeed(text?: string): void;
  fail(text?: string): void;
  stop(): void;
}

export async function createProgress(ctx: Context, enabled: boolean): Promise<Progress> {
  if (!enabled || ctx.quiet) {
    return { start() {}, succeed() {}, fail() {}, stop() {} };
  }
  if (ctx.interactive && ctx.stderr.isTTY) {
    const { default: ora } = await import('ora');
    const spinner = ora({ stream: process.stderr, color: 'cyan', isEnabled: true });
    let current = '';
    return {
      start(step) {
        current = step;
        spinner.start(step);
      },
      succeed(text) {
        spinner.succeed(text ?? current);
      },
      fail(text) {
        spinner.fail(text ?? current);
      },
      stop() {
        spinner.stop();
      },
    };
  }
  let current = '';
  return {
    start(step) {
      current = step;
    },
    succeed(text) {
      ctx.stderr.write(`✔ ${text ?? current}\n`);
    },
    fail(text) {
      ctx.stderr.write(`✖ ${text ?? current}\n`);
    },
    stop() {},
  };
}
