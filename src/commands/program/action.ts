/**
 * Wraps a lazily imported command so every action builds the same context and receives its
 * own typed options (commander's optsWithGlobals merges the program's global flags in).
 */
import type { Command } from 'commander';
import { createProcessContext, type Context, type GlobalOptions } from '../../context.js';

export type CommandRun<O> = (ctx: Context, args: string[], options: O) => Promise<void>;

/**
 * `load` imports the command's module only when it runs. With `cancellable`, the first
 * Ctrl-C aborts ctx.signal so the command can close what it opened (train marks its run
 * KILLED); a second one exits at once.
 */
export function action<O extends object>(
  load: () => Promise<CommandRun<O>>,
  { cancellable = false } = {},
) {
  return async (...all: unknown[]): Promise<void> => {
    const cmd = all[all.length - 1] as Command;
    const args = all.slice(0, -2).filter((a): a is string => typeof a === 'string');
    const options = cmd.optsWithGlobals<O & GlobalOptions>();
    const ctx = createProcessContext(options);
    const run = await load();
    if (!cancellable) return run(ctx, args, options);
    const controller = new AbortController();
    const onSignal = () => {
      if (controller.signal.aborted) process.exit(130);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      await run({ ...ctx, signal: controller.signal }, args, options);
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
}
