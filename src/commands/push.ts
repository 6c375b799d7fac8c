import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { pushRuns } from '../tracking/sync.js';
import { commandKit } from './shared.js';

export interface PushOptions extends SettingFlags {
  to: string;
  json?: boolean;
}

export async function run(ctx: Context, _args: string[], options: PushOptions): Promise<void> {
  const kit = commandKit(ctx, options);
  const { out } = kit;
  const settings = await kit.resolveSettings();
  const source = await kit.openStore(settings.tracking_uri);
  const target = await kit.openStore(options.to);
  // without --experiment, every experiment of the source goes (a class may have made several)
  const experiments = options.experiment === undefined ? undefined : [options.experiment];
  const result = await pushRuns(source, target, { experiments }, (event) =>
    out.note(`  ${event.message}`),
  );
  if (out.json) {
    out.printJson(result);
    return;
  }
  const { c } = out;
  const models = result.runs.copied.reduce((n, r) => n + (r.logged_models?.length ?? 0), 0);
  out.print(
    `${c.green('✔')} pushed ${source.displayUri} → ${target.displayUri}: ` +
      `${result.runs.copied.length} run(s) copied${models > 0 ? ` (${models} logged model(s))` : ''}, ` +
      `${result.runs.skipped.length} already there; ` +
      `${result.versions.copied.length} version(s) copied, ${result.versions.skipped.length} already there; ` +
      `${result.aliases.length} alias(es) set`,
  );
  for (const v of result.versions.not_pushed)
    out.note(`  not pushed: ${v.name} v${v.version}: ${v.reason}`);
  if (
    result.runs.copied.length === 0 &&
    result.versions.copied.length === 0 &&
    result.aliases.length === 0
  )
    out.note('nothing new to copy');
}
