/**
 * Hints are commands to run as printed. They repeat the settings flags verify was given
 * (--tracking-uri, --config, ...) so that the fix acts on what verify checked.
 */
import path from 'node:path';
import type { SettingFlags } from '../config/resolve.js';
import { parseTrackingUri } from '../tracking/index.js';
import { shellWord } from '../init/project.js';

type FlagKey = 'trackingUri' | 'config' | 'experiment' | 'modelName' | 'alias';
const FLAG_NAMES: Record<FlagKey, string> = {
  trackingUri: '--tracking-uri',
  config: '--config',
  experiment: '--experiment',
  modelName: '--model-name',
  alias: '--alias',
};

export function withFlags(command: string, flags: SettingFlags, keys: FlagKey[]): string {
  const extra = keys.flatMap((k) =>
    typeof flags[k] === 'string' && flags[k] !== '' ? [FLAG_NAMES[k], shellWord(flags[k])] : [],
  );
  return [command, ...extra].join(' ');
}

export function trainCommand(flags: SettingFlags): string {
  return withFlags('irisops train', flags, ['trackingUri', 'config', 'experiment', 'modelName']);
}

export function promoteCommand(
  flags: SettingFlags,
  name: string,
  version: string,
  alias: string,
): string {
  return withFlags(
    `irisops registry promote ${shellWord(name)} ${version} --alias ${alias}`,
    flags,
    ['trackingUri', 'config'],
  );
}

/** train registers version next; promoting it afterwards is the usual fix for the model chain */
export function trainAndPromote(
  flags: SettingFlags,
  name: string,
  next: string,
  alias: string,
): string {
  return `${trainCommand(flags)} && ${promoteCommand(flags, name, next, alias)}`;
}

export function serveCommand(flags: SettingFlags, port: number | null): string {
  const base = withFlags('irisops serve', flags, ['trackingUri', 'config', 'modelName', 'alias']);
  return port === null ? base : `${base} --port ${port}`;
}

/** rewrites irisops.config.json and data/iris.csv as init writes them, leaves container and CI files alone */
export const RESTORE_PROJECT = 'irisops init --yes --force --no-docker --no-ci';

/** a local store as a path relative to cwd when it is below it (./mlruns), else as given */
export function shownStore(uri: string, cwd: string): string {
  let parsed;
  try {
    parsed = parseTrackingUri(uri, cwd);
  } catch {
    return uri;
  }
  if (parsed.kind === 'mlflow') return parsed.url;
  const rel = path.relative(cwd, parsed.root);
  return rel === ''
    ? '.'
    : rel.startsWith('..') || path.isAbsolute(rel)
      ? parsed.root
      : `./${rel.split(path.sep).join('/')}`;
}
