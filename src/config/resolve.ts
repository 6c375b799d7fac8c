/**
 * Settings resolve as flag > environment > irisops.config.json > default (SPEC.md,
 * "Configuration"). The config file is optional; when present it must be valid.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { IrisopsConfig } from '../schemas/types.js';

export const CONFIG_FILE = 'irisops.config.json';

export interface Settings {
  tracking_uri: string;
  experiment: string;
  model_name: string;
  alias: string;
  /** null: ./data/iris.csv if present, else the copy shipped in the package */
  data: string | null;
  host: string;
  port: number;
  /** port irisops ui listens on */
  ui_port: number;
  api_url: string;
  /** absolute path of the config file that was read, or null when defaults are in use */
  config_file: string | null;
}

export interface SettingFlags {
  trackingUri?: string;
  experiment?: string;
  modelName?: string;
  alias?: string;
  data?: string;
  host?: string;
  port?: number;
  uiPort?: number;
  apiUrl?: string;
  config?: string;
}

export const DEFAULTS = {
  tracking_uri: './mlruns',
  experiment: 'iris-classification',
  model_name: 'iris_classifier',
  alias: 'production',
  host: '127.0.0.1',
  port: 8000,
  ui_port: 5000,
} as const;

/** Reads and validates a config file; returns null when it does not exist (and was not asked for). */
export async function readConfigFile(
  file: string,
  required: boolean,
): Promise<IrisopsConfig | null> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !required) return null;
    throw new ConfigError(`cannot read config file ${file}: ${(error as Error).message}`, {
      hint: required ? 'check the --config path' : undefined,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`, {
      hint: `fix the file, or recreate it with: irisops init --yes --force`,
    });
  }
  const { validatorFor, describeErrors } = await import('../schemas/index.js');
  const validate = validatorFor<IrisopsConfig>('config');
  if (!validate(value)) {
    const issue = describeErrors(validate.errors)[0];
    const field = issue?.path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
    throw new ConfigError(`${file}: field "${field}" ${issue?.message ?? 'is invalid'}`, {
      hint: 'see schemas/config.schema.json for the allowed keys and values',
    });
  }
  return value;
}

function envPort(value: string | undefined, name = 'PORT', example = 8000): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ConfigError(`${name}=${value} is not a port number (0-65535)`, {
      hint: `unset ${name} or set it to e.g. ${example}`,
    });
  }
  return n;
}

/**
 * irisops.config.json in `cwd` or the nearest parent folder, as git and npm find theirs; the
 * search stops at the root of a git checkout. Returns the path in `cwd` when there is none.
 */
export function findConfigFile(cwd: string): string {
  const start = path.resolve(cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, '.git')) || path.dirname(dir) === dir) break;
  }
  return path.join(start, CONFIG_FILE);
}

export async function resolveSettings(
  flags: SettingFlags,
  env: Record<string, string | undefined>,
  cwd: string,
): Promise<Settings> {
  const file = flags.config !== undefined ? path.resolve(cwd, flags.config) : findConfigFile(cwd);
  const found = await readConfigFile(file, flags.config !== undefined);
  const config = found ?? {};
  const configDir = path.dirname(file);
  const pick = <T>(...values: (T | undefined)[]): T | undefined =>
    values.find((v) => v !== undefined && v !== '');
  // paths in the config file are relative to the file, not to where irisops runs
  const fromConfig = (p: string | undefined) =>
    p === undefined
      ? undefined
      : /^[a-z][a-z0-9+.-]*:/i.test(p) && !/^[a-z]:[\\/]/i.test(p)
        ? p
        : path.resolve(configDir, p);
  const port = pick(flags.port, envPort(env.PORT), config.port) ?? DEFAULTS.port;
  const host = pick(flags.host, env.IRISOPS_HOST, config.host) ?? DEFAULTS.host;
  return {
    tracking_uri:
      pick(flags.trackingUri, env.MLFLOW_TRACKING_URI, fromConfig(config.tracking_uri)) ??
      // a project found in a parent folder keeps its store beside its config
      (found !== null && configDir !== path.resolve(cwd)
        ? path.resolve(configDir, DEFAULTS.tracking_uri)
        : DEFAULTS.tracking_uri),
    experiment:
      pick(flags.experiment, env.MLFLOW_EXPERIMENT_NAME, config.experiment) ?? DEFAULTS.experiment,
    model_name:
      pick(flags.modelName, env.IRISOPS_MODEL_NAME, config.model_name) ?? DEFAULTS.model_name,
    alias: pick(flags.alias, env.IRISOPS_ALIAS, config.alias) ?? DEFAULTS.alias,
    data: pick(flags.data, env.IRISOPS_DATA, fromConfig(config.data)) ?? null,
    host,
    port,
    ui_port:
      pick(flags.uiPort, envPort(env.IRISOPS_UI_PORT, 'IRISOPS_UI_PORT', 5000), config.ui_port) ??
      DEFAULTS.ui_port,
    api_url:
      pick(flags.apiUrl, env.IRISOPS_API_URL, config.api_url) ??
      `http://${host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host}:${port}`,
    config_file: found === null ? null : file,
  };
}
