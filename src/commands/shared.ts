/**
 * The one setup every command starts from: its output, its settings (flag > env > config >
 * default) and its tracking store, each built the same way for every command.
 */
import type { Context } from '../context.js';
import { resolveSettings, type SettingFlags, type Settings } from '../config/resolve.js';
import { openStore, type TrackingStore } from '../tracking/index.js';
import { createOutput, type Output } from './output.js';

export interface CommandKit {
  out: Output;
  resolveSettings(): Promise<Settings>;
  /** opens a store; warnings it raises are printed once each */
  openStore(uri: string, env?: Record<string, string | undefined>): Promise<TrackingStore>;
}

export interface CommandSetup {
  out: Output;
  settings: Settings;
  store: TrackingStore;
}

/** The parts, for a command that resolves or opens later (verify checks, serve's primary). */
export function commandKit(ctx: Context, flags: SettingFlags & { json?: boolean }): CommandKit {
  const out = createOutput(ctx, flags.json === true);
  const said = new Set<string>();
  return {
    out,
    resolveSettings: () => resolveSettings(flags, ctx.env, ctx.cwd),
    openStore: (uri, env = ctx.env) =>
      openStore(uri, {
        env,
        cwd: ctx.cwd,
        fetch: ctx.fetch,
        now: ctx.now,
        onWarning: (message) => {
          if (said.has(message)) return;
          said.add(message);
          out.warn(message);
        },
      }),
  };
}

export async function setup(
  ctx: Context,
  flags: SettingFlags & { json?: boolean },
): Promise<CommandSetup> {
  const kit = commandKit(ctx, flags);
  const settings = await kit.resolveSettings();
  return { out: kit.out, settings, store: await kit.openStore(settings.tracking_uri) };
}

export { irisopsVersion } from '../package-info.js';
