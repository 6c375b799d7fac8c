/** What most commands do first: resolve settings, open the tracking store. */
import type { Context } from '../context.js';
import { resolveSettings, type SettingFlags, type Settings } from '../config/resolve.js';
import { openStore, type TrackingStore } from '../tracking/index.js';
import { warn } from './output.js';

export async function settingsFor(
  ctx: Context,
  options: Record<string, unknown>,
): Promise<Settings> {
  const str = (k: string) => (typeof options[k] === 'string' ? (options[k] as string) : undefined);
  const flags: SettingFlags = {
    trackingUri: str('trackingUri'),
    experiment: str('experiment'),
    modelName: str('modelName'),
    alias: str('alias'),
    data: str('data'),
    host: str('host'),
    port: typeof options.port === 'number' ? options.port : undefined,
    apiUrl: str('apiUrl'),
    config: str('config'),
  };
  return resolveSettings(flags, ctx.env, ctx.cwd);
}

export async function storeFor(ctx: Context, settings: Settings): Promise<TrackingStore> {
  const said = new Set<string>();
  return openStore(settings.tracking_uri, {
    env: ctx.env,
    cwd: ctx.cwd,
    fetch: ctx.fetch,
    now: ctx.now,
    onWarning: (message) => {
      if (said.has(message)) return;
      said.add(message);
      warn(ctx, message);
    },
  });
}

export { irisopsVersion } from '../package-info.js';
