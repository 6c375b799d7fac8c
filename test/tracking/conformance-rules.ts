/**
 * The store checks of src/tracking/validation.ts, one case per rule, run by the conformance
 * suite against every store: each bad request is refused with the same one-line message on
 * the folder and on a real MLflow server, and leaves nothing behind.
 */
import { InvalidParameterError, UsageError } from '../../src/errors.js';
import { resolveModel } from '../../src/tracking/model-uri.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import type { TapTest } from './conformance.js';

const BASE_TIME = 1_700_000_000_000;

async function refused(
  t: TapTest,
  work: Promise<unknown>,
  message: RegExp,
  what: string,
): Promise<void> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  t.ok(error instanceof InvalidParameterError, `${what}: refused as an invalid parameter`);
  t.match((error as Error | null)?.message ?? '', message, `${what}: the shared message`);
  t.notOk(((error as Error | null)?.message ?? '').includes('\n'), `${what}: one line`);
}

export async function runRuleConformance(
  t: TapTest,
  store: TrackingStore,
  unique: (prefix: string) => string,
  timeout: number,
): Promise<void> {
  const newRun = async (): Promise<string> => {
    const experiment = await store.createExperiment(unique('conf-rules'));
    const info = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: 'rules',
      startTime: BASE_TIME,
      userId: 'conformance',
    });
    return info.run_id;
  };

  await t.test('rules: value length limits, before any write', { timeout }, async (t) => {
    const runId = await newRun();
    await refused(
      t,
      store.logBatch(runId, { params: [{ key: 'p', value: 'x'.repeat(6001) }] }),
      /^invalid param "p": the value is 6001 characters, more than 6000$/,
      'param value over 6000',
    );
    await refused(
      t,
      store.logBatch(runId, {
        params: [{ key: 'ok', value: '1' }],
        tags: [{ key: 't', value: 'x'.repeat(8001) }],
      }),
      /^invalid tag "t": the value is 8001 characters, more than 8000$/,
      'tag value over 8000',
    );
    await refused(
      t,
      store.createExperiment(unique('conf-rules-tag'), { t: 'x'.repeat(20_001) }),
      /^invalid experiment tag "t": the value is 20001 characters, more than 20000$/,
      'experiment tag value over 20000',
    );
    await refused(
      t,
      store.logInputs(runId, [
        { name: 'n'.repeat(501), digest: 'd', source_type: 'local', source: 's' },
      ]),
      /dataset .*: name is 501 characters, more than MLflow's 500$/,
      'dataset name over 500',
    );
    const run = await store.getRun(runId);
    t.same(run.data.params, {}, 'no param of a refused batch was written');
    t.notOk('t' in run.data.tags, 'no tag of a refused batch was written');
  });

  await t.test('rules: a param appears once per batch', { timeout }, async (t) => {
    const runId = await newRun();
    await refused(
      t,
      store.logBatch(runId, {
        params: [
          { key: 'depth', value: '3' },
          { key: 'depth', value: '3' },
        ],
      }),
      /^param "depth" appears twice in one batch$/,
      'duplicate param',
    );
    t.same((await store.getRun(runId)).data.params, {}, 'nothing written');
  });

  await t.test('rules: a batch over one request limit is logged whole', { timeout }, async (t) => {
    const runId = await newRun();
    const metrics = Array.from({ length: 1001 }, (_, step) => ({
      key: 'loss',
      value: step / 1000,
      timestamp: BASE_TIME + step,
      step,
    }));
    const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: String(i) }));
    const tags = Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: String(i) }));
    await store.logBatch(runId, { metrics, params, tags });
    const run = await store.getRun(runId);
    t.equal(Object.keys(run.data.params).length, 101, 'all 101 params');
    t.equal(Object.keys(run.data.tags).filter((k) => /^t\d+$/.test(k)).length, 101, 'all tags');
    t.equal((await store.getMetricHistory(runId, 'loss')).length, 1001, 'all 1001 metrics');
  });

  await t.test('rules: reserved and malformed aliases, and @latest', { timeout }, async (t) => {
    const runId = await newRun();
    const name = unique('conf_rules_model');
    await store.createRegisteredModel(name);
    await store.createModelVersion({ name, source: `runs:/${runId}/model`, runId });
    for (const alias of ['latest', 'LATEST']) {
      await refused(
        t,
        store.setAlias(name, alias, '1'),
        /^invalid alias "(latest|LATEST)": 'latest' \(in any case\) is reserved by MLflow for the highest version$/,
        `setAlias ${alias}`,
      );
      await refused(
        t,
        store.getModelVersionByAlias(name, alias),
        /reserved by MLflow for the highest version$/,
        `getModelVersionByAlias ${alias}`,
      );
    }
    await refused(
      t,
      store.setAlias(name, 'V2', '1'),
      /^invalid alias "V2": names like v<digits> are reserved by MLflow for version references$/,
      'setAlias V2',
    );
    await refused(
      t,
      store.setAlias(name, 'a.b', '1'),
      /^invalid alias "a\.b": aliases may only contain letters, digits, underscores \(_\) and dashes \(-\)$/,
      'setAlias a.b',
    );
    const atLatest = await resolveModel(store, `models:/${name}@latest`).then(
      () => null,
      (e: unknown) => e,
    );
    t.ok(atLatest instanceof UsageError, 'models:/<name>@latest is refused as a usage error');
    t.match((atLatest as UsageError).message, /reserved by MLflow for the highest version$/);
    t.match((atLatest as UsageError).hint, /models:\/<name>\/latest/, 'the hint names the form');
    const latest = await resolveModel(store, `models:/${name}/latest`);
    t.equal(latest.version, '1', 'models:/<name>/latest is the highest version');
  });
}
