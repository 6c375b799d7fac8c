import type { Context } from '../context.js';
import { openStore } from '../tracking/index.js';
import { pushRuns } from '../tracking/sync.js';
import { colors, note, printJson, println } from './output.js';
import { settingsFor, storeFor } from './shared.js';

export async function run(
  ctx: Context,
  _args: string[],
  options: Record<string, unknown>,
): Promise<void> {
  const settings = await settingsFor(ctx, options);
  const source = await storeFor(ctx, settings);
  const target = await openStore(String(options.to), {
    env: ctx.env,
    cwd: ctx.cwd,
    fetch: ctx.fetch,
    now: ctx.now,
  });
  const json = options.json === true;
  // without --experiment, every experiment of the source goes (a class may have made several)
  const experiments = typeof options.experiment === 'string' ? [options.experiment] : undefined;
  const result = await pushRuns(source, target, { experiments }, (event) => {
    if (!json && !ctx.quiet) ctx.stderr.write(`  ${event.message}\n`);
  });
  if (json) {
    printJson(ctx, result);
    return;
  }
  const c = colors(ctx);
  println(
    ctx,
    `${c.green('✔')} pushed ${source.displayUri} → ${target.displayUri}: ` +
      `${result.runs.copied.length} run(s) copied, ${result.runs.skipped.length} already there; ` +
      `${result.versions.copied.length} version(s) copied, ${result.versions.skipped.length} already there; ` +
      `${result.aliases.length} alias(es) set`,
  );
  for (const v of result.versions.not_pushed)
    note(ctx, `  not pushed: ${v.name} v${v.version}: ${v.reason}`);
  if (result.runs.copied.length === 0 && result.versions.copied.length === 0)
    note(ctx, 'nothing new to copy');
}
