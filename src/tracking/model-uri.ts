/**
 * MLflow's model URI forms, resolved through any TrackingStore:
 * models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest, runs:/<run_id>/<path>.
 */
import { IrisopsError, NotFoundError, UsageError } from '../errors.js';
import { validateAlias, validateModelName } from './names.js';
import type { ModelVersion, TrackingStore } from './store.js';

export type ModelRef =
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'version'; name: string; version: string }
  | { kind: 'latest'; name: string }
  | { kind: 'run'; runId: string; path: string };

export interface ResolvedModel {
  uri: string;
  name: string | null;
  version: string | null;
  alias: string | null;
  runId: string;
  artifactPath: string;
  /** the registered version's tags (empty for runs:/ URIs): a second record of the digest */
  versionTags: Record<string, string>;
}

const FORMS =
  'models:/<name>@<alias>, models:/<name>/<version>, models:/<name>/latest or runs:/<run_id>/model';

export function parseModelUri(uri: string): ModelRef {
  const run = /^runs:\/+([0-9a-f]{32})\/(.+)$/.exec(uri);
  if (run) {
    const artifactPath = (run[2] ?? '').replace(/\/+$/, '');
    if (artifactPath.split('/').some((part) => part === '..' || part === '')) {
      throw new UsageError(`invalid artifact path in ${uri}`, { hint: `use ${FORMS}` });
    }
    return { kind: 'run', runId: run[1] ?? '', path: artifactPath };
  }
  const models = /^models:\/+(.+)$/.exec(uri);
  if (models) {
    const rest = models[1] ?? '';
    const at = rest.lastIndexOf('@');
    if (at > 0 && !rest.slice(at).includes('/')) {
      const alias = rest.slice(at + 1);
      return {
        kind: 'alias',
        name: checked(uri, validateModelName, rest.slice(0, at)),
        alias: checked(uri, validateAlias, alias),
      };
    }
    const slash = rest.lastIndexOf('/');
    if (slash > 0) {
      const name = rest.slice(0, slash);
      const ref = rest.slice(slash + 1);
      if (ref === 'latest') return { kind: 'latest', name: checked(uri, validateModelName, name) };
      if (/^[1-9][0-9]*$/.test(ref))
        return { kind: 'version', name: checked(uri, validateModelName, name), version: ref };
    }
  }
  throw new UsageError(`not a model URI: ${uri}`, { hint: `use ${FORMS}` });
}

/**
 * Names are checked when the URI is parsed, so `serve --model models:/../x/1` is a usage
 * error at start instead of a server answering 503 until someone reads its log.
 */
function checked(uri: string, validate: (value: string) => string, value: string): string {
  try {
    return validate(value);
  } catch (error) {
    const hint = error instanceof IrisopsError ? error.hint : undefined;
    throw new UsageError(`not a model URI: ${uri}: ${(error as Error).message}`, {
      hint: hint ?? `use ${FORMS}`,
    });
  }
}

function fromVersion(uri: string, v: ModelVersion, alias: string | null): ResolvedModel {
  if (!v.run_id) {
    throw new NotFoundError(
      `${v.name} version ${v.version} has no run: it was not logged by irisops (source ${v.source})`,
      {
        hint: 'serve a version created by irisops train',
      },
    );
  }
  const m = /\/artifacts\/(.+?)\/*$/.exec(v.source) ?? /^runs:\/[^/]+\/(.+)$/.exec(v.source);
  return {
    uri,
    name: v.name,
    version: v.version,
    alias,
    runId: v.run_id,
    artifactPath: m?.[1] ?? 'model',
    versionTags: v.tags,
  };
}

export async function resolveModel(store: TrackingStore, uri: string): Promise<ResolvedModel> {
  const ref = parseModelUri(uri);
  switch (ref.kind) {
    case 'run':
      await store.getRun(ref.runId);
      return {
        uri,
        name: null,
        version: null,
        alias: null,
        runId: ref.runId,
        artifactPath: ref.path,
        versionTags: {},
      };
    case 'alias':
      return fromVersion(uri, await store.getModelVersionByAlias(ref.name, ref.alias), ref.alias);
    case 'version':
      return fromVersion(uri, await store.getModelVersion(ref.name, ref.version), null);
    case 'latest': {
      const [latest] = await store.searchModelVersions(ref.name);
      if (!latest)
        throw new NotFoundError(`registered model ${ref.name} has no versions`, {
          hint: 'run irisops train',
        });
      return fromVersion(uri, latest, null);
    }
  }
}

/**
 * What serve uses without --model: the alias, else the latest version, else the latest
 * finished run of the experiment. Returns null when there is nothing to serve yet.
 */
export async function defaultModelUri(
  store: TrackingStore,
  name: string,
  alias: string,
  experiment: string,
): Promise<string | null> {
  try {
    await store.getModelVersionByAlias(name, alias);
    return `models:/${name}@${alias}`;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  try {
    const versions = await store.searchModelVersions(name);
    if (versions.length > 0) return `models:/${name}/latest`;
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  const exp = await store.getExperimentByName(experiment);
  if (!exp) return null;
  const [run] = await store.searchRuns({
    experimentIds: [exp.experiment_id],
    filter: "attributes.status = 'FINISHED'",
    maxResults: 1,
  });
  return run ? `runs:/${run.info.run_id}/model` : null;
}
