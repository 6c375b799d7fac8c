/**
 * Facts several checks share (settings, the store, the promoted version, the service's
 * /health), each computed once on first use. A check that needs a fact whose own check
 * failed gets a Prerequisite error naming it, so `--only promoted` still works alone and
 * never reports a pass it could not establish.
 */
import { ConfigError, IrisopsError, NotFoundError } from '../errors.js';
import type { Settings } from '../config/resolve.js';
import type {
  Experiment,
  ModelVersion,
  RegisteredModel,
  Run,
  TrackingStore,
} from '../tracking/store.js';
import {
  RESTORE_PROJECT,
  promoteCommand,
  serveCommand,
  trainAndPromote,
  trainCommand,
} from './hints.js';
import { Prerequisite, type VerifyDeps } from './types.js';
import { fetchJson, type HttpAnswer } from './http.js';

export type Fact<T> = { ok: true; value: T } | { ok: false; message: string; hint: string | null };

const failed = (
  message: string,
  hint: string | null = null,
): { ok: false; message: string; hint: string | null } => ({ ok: false, message, hint });

export function need<T>(fact: Fact<T>, what: string): T {
  if (fact.ok) return fact.value;
  throw new Prerequisite(`skipped: ${what}`, fact.hint);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface Registered {
  model: RegisteredModel;
  versions: ModelVersion[];
  /** the version irisops train will register next */
  next: string;
}

export interface Promoted {
  version: ModelVersion;
  run: Run;
}

export class VerifyState {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(readonly deps: VerifyDeps) {}

  private once<T>(key: string, compute: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = compute();
      this.memo.set(key, p);
    }
    return p;
  }

  settings(): Promise<Fact<Settings>> {
    return this.once('settings', async () => {
      try {
        return { ok: true, value: await this.deps.resolveSettings() };
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        const ownFile = this.deps.flags.config === undefined && !/^PORT=/.test(error.message);
        return failed(error.message, ownFile ? RESTORE_PROJECT : (error.hint ?? null));
      }
    });
  }

  async settingsOrSkip(): Promise<Settings> {
    return need(await this.settings(), 'the config is invalid');
  }

  store(): Promise<Fact<TrackingStore>> {
    return this.once('store', async () => {
      const settings = await this.settingsOrSkip();
      let store: TrackingStore;
      try {
        store = await this.deps.openStore(settings);
      } catch (error) {
        return failed(describe(error), error instanceof IrisopsError ? (error.hint ?? null) : null);
      }
      try {
        await store.ping();
        return { ok: true, value: store };
      } catch (error) {
        if (store.kind === 'mlflow') {
          const u = new URL(settings.tracking_uri.trim());
          const local = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
          return failed(
            `MLflow server ${store.displayUri} does not answer: ${describe(error)}`,
            local
              ? `mlflow server --host ${u.hostname} --port ${u.port || (u.protocol === 'https:' ? '443' : '80')}`
              : `check that the MLflow server at ${store.displayUri} is up, or run locally with: ${trainCommand({ ...this.deps.flags, trackingUri: './mlruns' })}`,
          );
        }
        return failed(
          `cannot read the tracking folder ${store.displayUri}: ${describe(error)}`,
          error instanceof IrisopsError ? (error.hint ?? null) : null,
        );
      }
    });
  }

  async storeOrSkip(): Promise<TrackingStore> {
    return need(await this.store(), 'the tracking store is unreachable');
  }

  experiment(): Promise<Fact<{ experiment: Experiment; finished: Run | null }>> {
    return this.once('experiment', async () => {
      const settings = await this.settingsOrSkip();
      const store = await this.storeOrSkip();
      const train = trainCommand(this.deps.flags);
      try {
        const experiment = await store.getExperimentByName(settings.experiment);
        if (!experiment || experiment.lifecycle_stage !== 'active') {
          return failed(
            `no experiment "${settings.experiment}" in ${store.displayUri}${experiment ? ' (it was deleted)' : ''}`,
            train,
          );
        }
        const [finished] = await store.searchRuns({
          experimentIds: [experiment.experiment_id],
          filter: "attributes.status = 'FINISHED'",
          maxResults: 1,
        });
        return { ok: true, value: { experiment, finished: finished ?? null } };
      } catch (error) {
        return failed(`cannot read experiment "${settings.experiment}": ${describe(error)}`, train);
      }
    });
  }

  registered(): Promise<Fact<Registered>> {
    return this.once('registered', async () => {
      const settings = await this.settingsOrSkip();
      const store = await this.storeOrSkip();
      const name = settings.model_name;
      const fix = trainAndPromote(this.deps.flags, name, '1', settings.alias);
      try {
        const model = await store.getRegisteredModel(name);
        const versions = await store.searchModelVersions(name);
        const top = versions.reduce((m, v) => Math.max(m, Number(v.version) || 0), 0);
        if (versions.length === 0)
          return failed(
            `registered model ${name} has no versions`,
            trainAndPromote(this.deps.flags, name, String(top + 1), settings.alias),
          );
        return { ok: true, value: { model, versions, next: String(top + 1) } };
      } catch (error) {
        if (error instanceof NotFoundError)
          return failed(`no registered model ${name} in ${store.displayUri}`, fix);
        return failed(`cannot read registered model ${name}: ${describe(error)}`, null);
      }
    });
  }

  promoted(): Promise<Fact<Promoted>> {
    return this.once('promoted', async () => {
      const settings = await this.settingsOrSkip();
      const store = await this.storeOrSkip();
      const registered = need(
        await this.registered(),
        `no registered model ${settings.model_name}`,
      );
      const { model_name: name, alias } = settings;
      const latest = String(registered.next === '1' ? 1 : Number(registered.next) - 1);
      try {
        const version = await store.getModelVersionByAlias(name, alias);
        const run = version.run_id ? await store.getRun(version.run_id) : null;
        if (!run)
          return failed(
            `${name}@${alias} is version ${version.version}, which has no run (not made by irisops train)`,
            trainAndPromote(this.deps.flags, name, registered.next, alias),
          );
        return { ok: true, value: { version, run } };
      } catch (error) {
        if (error instanceof NotFoundError) {
          return failed(
            `alias ${alias} of ${name} is not set (versions: ${registered.versions.map((v) => v.version).join(', ')})`,
            promoteCommand(this.deps.flags, name, latest, alias),
          );
        }
        return failed(`cannot resolve ${name}@${alias}: ${describe(error)}`, null);
      }
    });
  }

  /** GET <api_url><path>, once per path */
  service(path: string): Promise<Fact<HttpAnswer>> {
    return this.once(`service:${path}`, async () => {
      const settings = await this.settingsOrSkip();
      const url = `${settings.api_url.replace(/\/+$/, '')}${path}`;
      try {
        return {
          ok: true,
          value: await fetchJson(this.deps.fetch, url, { timeoutMs: this.deps.httpTimeoutMs }),
        };
      } catch (error) {
        return failed(`nothing answers at ${url}: ${describe(error)}`, this.serveHint(settings));
      }
    });
  }

  /** the command that starts a service where verify looks for one */
  serveHint(settings: Settings): string {
    let port: number | null = null;
    try {
      const u = new URL(settings.api_url);
      const p = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
      port = p === settings.port && this.deps.flags.port === undefined ? null : p;
    } catch {
      port = null;
    }
    return serveCommand(this.deps.flags, port);
  }
}
