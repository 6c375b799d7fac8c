/**
 * The answers `irisops init` needs, their defaults and their validation. Defaults come from
 * an existing irisops.config.json in the target folder, so re-running init (with --yes or by
 * pressing Enter at each prompt) reproduces the same files and changes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_FILE, DEFAULTS } from '../config/resolve.js';
import { parseTrackingUri } from '../tracking/index.js';
import { MAX_EXPERIMENT_NAME_LENGTH, validateAlias, validateModelName } from '../tracking/names.js';
import type { IrisopsConfig } from '../schemas/types.js';
import { WORKFLOW_FILE } from './project.js';

export interface InitAnswers {
  project: string;
  tracking_uri: string;
  experiment: string;
  model_name: string;
  alias: string;
  port: number;
  docker: boolean;
  ci: boolean;
}

/** a validator returns null when the value is fine, else what is wrong with it */
function plainText(v: string, max: number): string | null {
  if (v.trim() === '') return 'must not be empty';
  if (v.length > max) return `must be at most ${max} characters`;
  if (/[\u0000-\u001f\u007f]/.test(v)) return 'must not contain control characters';
  return null;
}

function ruleProblem(rule: (value: unknown) => unknown, value: string): string | null {
  try {
    rule(value);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

export type Validator<T> = (value: T) => string | null;

// the same rules as schemas/config.schema.json, so a config init writes always validates
export const validate = {
  project: (v: string) => plainText(v, 200),
  experiment: (v: string) => plainText(v, MAX_EXPERIMENT_NAME_LENGTH),
  // the registry's own rules (names.ts), so init refuses what every later promote would
  model_name: (v: string) => ruleProblem(validateModelName, v),
  alias: (v: string) => ruleProblem(validateAlias, v),
  port: (v: number) =>
    Number.isInteger(v) && v >= 1 && v <= 65535 ? null : 'must be an integer between 1 and 65535',
  tracking_uri: (v: string) => {
    try {
      parseTrackingUri(v, '/');
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  },
} satisfies Record<string, Validator<never>>;

export function isServerUri(uri: string): boolean {
  return /^https?:\/\//i.test(uri.trim());
}

export interface ExistingProject {
  /** the config in the folder, when there is one and it is valid */
  config: IrisopsConfig | null;
  /** a config file exists but is not valid JSON or not valid against the schema */
  configInvalid: boolean;
  dockerfile: boolean;
  workflow: boolean;
}

export async function readExistingProject(dir: string): Promise<ExistingProject> {
  const file = path.join(dir, CONFIG_FILE);
  let config: IrisopsConfig | null = null;
  let configInvalid = false;
  if (existsSync(file)) {
    try {
      const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
      const { validatorFor } = await import('../schemas/index.js');
      if (validatorFor<IrisopsConfig>('config')(value)) config = value;
      else configInvalid = true;
    } catch {
      configInvalid = true;
    }
  }
  return {
    config,
    configInvalid,
    dockerfile: existsSync(path.join(dir, 'Dockerfile')),
    workflow: existsSync(path.join(dir, ...WORKFLOW_FILE.split('/'))),
  };
}

/**
 * What --yes accepts and what each prompt offers first: the existing config's values, else
 * irisops's defaults. Container and CI files default to "yes" in a new project, and to
 * "as before" in a folder init already scaffolded.
 */
export function defaultAnswers(dir: string, existing: ExistingProject): InitAnswers {
  const c = existing.config ?? {};
  const scaffolded = existing.config !== null || existing.configInvalid;
  const base = path.basename(path.resolve(dir));
  return {
    project:
      c.project ?? (validate.project(base) === null && base !== '' ? base : 'irisops-workshop'),
    tracking_uri: c.tracking_uri ?? DEFAULTS.tracking_uri,
    experiment: c.experiment ?? DEFAULTS.experiment,
    model_name: c.model_name ?? DEFAULTS.model_name,
    alias: c.alias ?? DEFAULTS.alias,
    port: c.port !== undefined && c.port > 0 ? c.port : DEFAULTS.port,
    docker: scaffolded ? existing.dockerfile : true,
    ci: scaffolded ? existing.workflow : true,
  };
}

/**
 * The config file init writes: the answers in a stable order, then any other key the
 * previous config had (host, api_url, data, ...) kept as it was.
 */
export function configFor(a: InitAnswers, previous: IrisopsConfig | null): IrisopsConfig {
  const { project, tracking_uri, experiment, model_name, alias, port } = a;
  const config: IrisopsConfig = {
    project,
    tracking_uri,
    experiment,
    model_name,
    alias,
    port,
    data: './data/iris.csv',
  };
  // a key the previous config set keeps its place and value unless it is one of the answers
  return Object.assign(config, previous, {
    project,
    tracking_uri,
    experiment,
    model_name,
    alias,
    port,
  });
}
