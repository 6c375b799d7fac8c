/**
 * The store-agnostic suite: every TrackingStore (a local folder, a real MLflow server) must
 * pass it, which is what "two implementations of equal rank" means in practice.
 *
 * It only uses the TrackingStore interface, makes its own uniquely named experiments and
 * models (so it can share one server with other tests), and assumes nothing about id
 * formats beyond what the interface says.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TAP } from 'tap';
import { InvalidParameterError, NotFoundError } from '../../src/errors.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import { runLoggedModelConformance } from './conformance-logged-models.js';
import { runRegistryConformance } from './conformance-registry.js';
import { runRuleConformance } from './conformance-rules.js';
import { runRunGroupConformance } from './conformance-run-groups.js';

export type TapTest = Parameters<Parameters<TAP['test']>[0]>[0];

export interface ConformanceOptions {
  /** per-subtest timeout; a remote store needs more than a folder */
  timeoutMs?: number;
}

let counter = 0;
function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** A run id the store cannot have: well formed, never issued. */
function absentRunId(): string {
  return 'f'.repeat(24) + Date.now().toString(16).padStart(8, '0').slice(-8);
}

const BASE_TIME = 1_700_000_000_000;

export async function runConformance(
  t: TapTest,
  makeStore: () => Promise<TrackingStore>,
  options: ConformanceOptions = {},
): Promise<void> {
  const timeout = options.timeoutMs ?? 60_000;
  const store = await makeStore();

  const newRun = async (
    experimentId: string,
    runName: string,
    startTime: number,
    tags: Record<string, string> = {},
  ): Promise<string> => {
    const info = await store.createRun({
      experimentId,
      runName,
      startTime,
      userId: 'conformance',
      tags,
    });
    return info.run_id;
  };

  await t.test('ping succeeds and the URI is printable', { timeout }, async (t) => {
    await store.ping();
    t.ok(store.kind === 'local' || store.kind === 'mlflow');
    t.type(store.displayUri, 'string');
    t.ok(store.displayUri.length > 0);
  });

  await t.test(
    'experiments: get-or-create, lookup by name and id, listing',
    { timeout },
    async (t) => {
      const name = unique('conf-exp');
      t.equal(await store.getExperimentByName(name), null, 'absent before creation');
      const created = await store.createExperiment(name, { team: 'ml', 'note.key': 'x y' });
      t.type(created.experiment_id, 'string');
      t.equal(created.name, name);
      t.equal(created.lifecycle_stage, 'active');
      t.same(created.tags, { team: 'ml', 'note.key': 'x y' });
      t.ok(created.artifact_location.length > 0, 'has an artifact location');

      const again = await store.createExperiment(name);
      t.equal(
        again.experiment_id,
        created.experiment_id,
        'creating twice returns the same experiment',
      );
      t.equal((await store.getExperimentByName(name))?.experiment_id, created.experiment_id);
      const byId = await store.getExperiment(created.experiment_id);
      t.equal(byId.name, name);
      t.same(byId.tags, created.tags);
      const listed = await store.listExperiments();
      t.equal(listed.filter((e) => e.name === name).length, 1, 'listed exactly once');

      await t.rejects(
        store.getExperiment('987654321987654321'),
        NotFoundError,
        'unknown experiment id',
      );
      await t.rejects(
        store.getExperiment('../0'),
        InvalidParameterError,
        'traversal in an experiment id',
      );
      await t.rejects(store.createExperiment(''), InvalidParameterError, 'empty name');
    },
  );

  await t.test('runs: create, log, read back, finish', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-runs'));
    const info = await store.createRun({
      experimentId: experiment.experiment_id,
      runName: 'first-run',
      startTime: BASE_TIME,
      userId: 'alice',
      tags: { framework: 'irisops' },
    });
    t.type(info.run_id, 'string');
    t.equal(info.run_name, 'first-run');
    t.equal(info.experiment_id, experiment.experiment_id);
    t.equal(info.user_id, 'alice');
    t.equal(info.status, 'RUNNING');
    t.equal(info.start_time, BASE_TIME);
    t.equal(info.end_time, null);
    t.equal(info.lifecycle_stage, 'active');
    t.ok(info.artifact_uri.length > 0);

    await store.logBatch(info.run_id, {
      params: [
        { key: 'max_depth', value: '5' },
        { key: 'n_estimators', value: '100' },
      ],
      metrics: [
        { key: 'accuracy', value: 0.9, timestamp: BASE_TIME + 1, step: 0 },
        { key: 'accuracy', value: 0.95, timestamp: BASE_TIME + 2, step: 1 },
        { key: 'loss', value: 0.25, timestamp: BASE_TIME + 1, step: 0 },
      ],
      tags: [{ key: 'dataset', value: 'iris' }],
    });
    // A later write with an older step must not become the reported value.
    await store.logBatch(info.run_id, {
      metrics: [{ key: 'accuracy', value: 0.5, timestamp: BASE_TIME + 3, step: 0 }],
    });
    await store.logBatch(info.run_id, { params: [{ key: 'max_depth', value: '5' }] });
    await t.rejects(
      store.logBatch(info.run_id, { params: [{ key: 'max_depth', value: '6' }] }),
      InvalidParameterError,
      'a param cannot change value',
    );

    const run = await store.getRun(info.run_id);
    t.same(run.data.params, { max_depth: '5', n_estimators: '100' });
    t.same(run.data.metrics, { accuracy: 0.95, loss: 0.25 }, 'latest = highest step');
    t.equal(run.data.tags.framework, 'irisops');
    t.equal(run.data.tags.dataset, 'iris');
    t.equal(run.data.tags['mlflow.runName'], 'first-run');
    t.equal(run.info.run_name, 'first-run');

    const history = await store.getMetricHistory(info.run_id, 'accuracy');
    t.same(
      [...history]
        .sort((a, b) => a.timestamp - b.timestamp)
        .map((m) => [m.value, m.step, m.timestamp]),
      [
        [0.9, 0, BASE_TIME + 1],
        [0.95, 1, BASE_TIME + 2],
        [0.5, 0, BASE_TIME + 3],
      ],
      'history holds every value',
    );
    t.same(await store.getMetricHistory(info.run_id, 'never_logged'), []);

    const finished = await store.updateRun(info.run_id, 'FINISHED', BASE_TIME + 10);
    t.equal(finished.status, 'FINISHED');
    t.equal(finished.end_time, BASE_TIME + 10);
    const reread = await store.getRun(info.run_id);
    t.equal(reread.info.status, 'FINISHED');
    t.equal(reread.info.end_time, BASE_TIME + 10);

    const failed = await newRun(experiment.experiment_id, 'crashed', BASE_TIME + 20);
    t.equal((await store.updateRun(failed, 'FAILED', BASE_TIME + 21)).status, 'FAILED');

    const other = await newRun(experiment.experiment_id, 'second', BASE_TIME + 30);
    t.not(other, info.run_id, 'run ids are distinct');
  });

  await t.test('runs: unknown ids and bad input are typed errors', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-bad'));
    const runId = await newRun(experiment.experiment_id, 'r', BASE_TIME);
    const missing = absentRunId();
    await t.rejects(store.getRun(missing), NotFoundError);
    await t.rejects(store.logBatch(missing, { params: [{ key: 'a', value: '1' }] }), NotFoundError);
    await t.rejects(store.getRun('../../etc/passwd'), InvalidParameterError);
    await t.rejects(
      store.logBatch(runId, { params: [{ key: '../escape', value: '1' }] }),
      InvalidParameterError,
    );
    await t.rejects(
      store.logBatch(runId, {
        metrics: [{ key: '/abs', value: 1, timestamp: BASE_TIME, step: 0 }],
      }),
      InvalidParameterError,
    );
    await t.rejects(
      store.logBatch(runId, { tags: [{ key: 'bad\0key', value: 'x' }] }),
      InvalidParameterError,
    );
    await t.rejects(
      store.createRun({
        experimentId: '987654321987654321',
        runName: 'x',
        startTime: BASE_TIME,
        userId: 'u',
      }),
      NotFoundError,
      'unknown experiment',
    );
    t.same((await store.getRun(runId)).data.params, {}, 'refused batches wrote nothing');
  });

  await t.test('dataset inputs are stored and read back', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-inputs'));
    const runId = await newRun(experiment.experiment_id, 'with-data', BASE_TIME);
    const dataset = {
      name: 'iris',
      digest: '9cc1c345c71bcc9b486b74cbf6063fa6',
      source_type: 'local',
      source: 'file:///data/iris.csv',
      schema: '{"mlflow_colspec": [{"type": "double", "name": "sepal_length"}]}',
      tags: { 'mlflow.data.context': 'training' },
    };
    await store.logInputs(runId, [dataset]);
    await store.logInputs(runId, [dataset]);
    const run = await store.getRun(runId);
    t.equal(run.inputs.length, 1, 'logging the same dataset twice keeps one input');
    t.match(run.inputs[0], dataset);
  });

  await t.test('search: filter, order, limit; deleted syntax refused', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-search'));
    const exp = experiment.experiment_id;
    const specs = [
      {
        name: 'a',
        start: BASE_TIME + 1000,
        accuracy: 0.9,
        depth: '3',
        status: 'FINISHED' as const,
      },
      {
        name: 'b',
        start: BASE_TIME + 3000,
        accuracy: 0.97,
        depth: '5',
        status: 'FINISHED' as const,
      },
      { name: 'c', start: BASE_TIME + 2000, accuracy: 0.93, depth: '5', status: 'FAILED' as const },
      {
        name: 'd',
        start: BASE_TIME + 4000,
        accuracy: null,
        depth: '7',
        status: 'RUNNING' as const,
      },
    ];
    const ids: Record<string, string> = {};
    for (const spec of specs) {
      const id = await newRun(exp, spec.name, spec.start, {
        team: spec.name === 'a' ? 'red' : 'blue',
      });
      ids[spec.name] = id;
      await store.logBatch(id, {
        params: [{ key: 'max_depth', value: spec.depth }],
        metrics:
          spec.accuracy === null
            ? []
            : [{ key: 'accuracy', value: spec.accuracy, timestamp: spec.start, step: 0 }],
      });
      if (spec.status !== 'RUNNING') await store.updateRun(id, spec.status, spec.start + 10);
    }
    const names = (runs: { info: { run_name: string } }[]): string[] =>
      runs.map((r) => r.info.run_name);

    t.same(
      names(await store.searchRuns({ experimentIds: [exp] })),
      ['d', 'b', 'c', 'a'],
      'newest first by default',
    );
    t.same(
      names(await store.searchRuns({ experimentIds: [exp], filter: 'metrics.accuracy > 0.92' })),
      ['b', 'c'],
    );
    t.same(
      names(
        await store.searchRuns({
          experimentIds: [exp],
          filter: "params.max_depth = '5' and metrics.accuracy >= 0.95",
        }),
      ),
      ['b'],
    );
    t.same(
      names(
        await store.searchRuns({ experimentIds: [exp], filter: "attributes.status = 'FINISHED'" }),
      ),
      ['b', 'a'],
    );
    t.same(names(await store.searchRuns({ experimentIds: [exp], filter: "tags.team = 'red'" })), [
      'a',
    ]);
    t.same(
      names(await store.searchRuns({ experimentIds: [exp], filter: "params.max_depth != '5'" })),
      ['d', 'a'],
    );
    t.same(
      names(
        await store.searchRuns({ experimentIds: [exp], filter: "attributes.run_name LIKE 'b%'" }),
      ),
      ['b'],
    );
    t.same(
      names(
        await store.searchRuns({
          experimentIds: [exp],
          filter: `attributes.start_time < ${BASE_TIME + 2500}`,
        }),
      ),
      ['c', 'a'],
    );
    t.same(
      names(await store.searchRuns({ experimentIds: [exp], orderBy: ['metrics.accuracy DESC'] })),
      ['b', 'c', 'a', 'd'],
      'missing values last',
    );
    t.same(
      names(
        await store.searchRuns({ experimentIds: [exp], orderBy: ['attributes.start_time ASC'] }),
      ),
      ['a', 'c', 'b', 'd'],
    );
    t.same(
      names(
        await store.searchRuns({
          experimentIds: [exp],
          orderBy: ['params.max_depth DESC', 'attributes.start_time ASC'],
        }),
      ),
      ['d', 'c', 'b', 'a'],
    );
    t.same(names(await store.searchRuns({ experimentIds: [exp], maxResults: 2 })), ['d', 'b']);
    t.same(await store.searchRuns({ experimentIds: [exp], filter: 'metrics.accuracy > 2' }), []);
    const found = await store.searchRuns({
      experimentIds: [exp],
      filter: `attributes.run_id = '${ids.b ?? ''}'`,
    });
    t.same(names(found), ['b']);
    t.equal(found[0]?.data.metrics.accuracy, 0.97, 'search results carry data');
    t.equal(found[0]?.data.params.max_depth, '5');
    // summaries: the same runs in the same order, with the same info and data
    const query = { experimentIds: [exp], orderBy: ['metrics.accuracy DESC'], maxResults: 3 };
    t.same(
      await store.searchRunSummaries(query),
      (await store.searchRuns(query)).map(({ info, data }) => ({ info, data })),
      'summaries are the runs without their inputs and outputs',
    );

    await t.rejects(
      store.searchRuns({ experimentIds: [exp], filter: 'metrics.accuracy >' }),
      InvalidParameterError,
    );
    await t.rejects(
      store.searchRuns({
        experimentIds: [exp],
        filter: 'metrics.accuracy > 1 or metrics.accuracy < 0',
      }),
      InvalidParameterError,
    );
    await t.rejects(
      store.searchRuns({ experimentIds: [exp], filter: "metrics.accuracy = 'high'" }),
      InvalidParameterError,
    );
  });

  await t.test(
    'artifacts: upload a folder, list, read; no way out of the run',
    { timeout },
    async (t) => {
      const experiment = await store.createExperiment(unique('conf-artifacts'));
      const runId = await newRun(experiment.experiment_id, 'arts', BASE_TIME);
      const local = mkdtempSync(path.join(os.tmpdir(), 'irisops-conf-'));
      t.teardown(() => rmSync(local, { recursive: true, force: true }));
      mkdirSync(path.join(local, 'nested'));
      writeFileSync(path.join(local, 'MLmodel'), 'flavors: {}\n');
      writeFileSync(path.join(local, 'nested', 'model.json'), '{"ok":true}');
      await store.logArtifacts(runId, local, 'model');
      writeFileSync(path.join(local, 'report.txt'), 'top level');
      rmSync(path.join(local, 'nested'), { recursive: true });
      rmSync(path.join(local, 'MLmodel'));
      await store.logArtifacts(runId, local);

      t.same(
        (await store.listArtifacts(runId)).map((a) => [a.path, a.is_dir]),
        [
          ['model', true],
          ['report.txt', false],
        ],
      );
      const inModel = await store.listArtifacts(runId, 'model');
      t.same(
        inModel.map((a) => [a.path, a.is_dir]),
        [
          ['model/MLmodel', false],
          ['model/nested', true],
        ],
      );
      t.equal(inModel.find((a) => a.path === 'model/MLmodel')?.file_size, 12);
      t.equal(
        (await store.readArtifact(runId, 'model/nested/model.json')).toString('utf8'),
        '{"ok":true}',
      );
      t.equal((await store.readArtifact(runId, 'report.txt')).toString('utf8'), 'top level');
      await t.rejects(store.readArtifact(runId, 'model/absent.bin'), NotFoundError);
      await t.rejects(store.readArtifact(runId, '../meta.yaml'), InvalidParameterError);
      await t.rejects(store.readArtifact(runId, '/etc/passwd'), InvalidParameterError);
      await t.rejects(store.listArtifacts(runId, 'model/../../..'), InvalidParameterError);
    },
  );

  await t.test('registry: models, versions, aliases', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-registry'));
    const runA = await newRun(experiment.experiment_id, 'a', BASE_TIME);
    const runB = await newRun(experiment.experiment_id, 'b', BASE_TIME + 1);
    const name = unique('conf_model');

    await t.rejects(store.getRegisteredModel(name), NotFoundError, 'unknown model');
    const model = await store.createRegisteredModel(name);
    t.equal(model.name, name);
    t.same(model.aliases, {});
    t.equal((await store.createRegisteredModel(name)).name, name, 'get-or-create');
    t.ok((await store.searchRegisteredModels()).some((m) => m.name === name));

    const v1 = await store.createModelVersion({
      name,
      source: `runs:/${runA}/model`,
      runId: runA,
      tags: { stage: 'candidate' },
    });
    t.equal(v1.version, '1');
    t.equal(v1.name, name);
    t.equal(v1.status, 'READY');
    t.equal(v1.run_id, runA);
    t.equal(v1.source, `runs:/${runA}/model`);
    t.same(v1.tags, { stage: 'candidate' });
    t.same(v1.aliases, []);
    const v2 = await store.createModelVersion({ name, source: `runs:/${runB}/model`, runId: runB });
    t.equal(v2.version, '2');
    t.same(
      (await store.searchModelVersions(name)).map((v) => v.version),
      ['2', '1'],
      'highest first',
    );
    t.equal((await store.getModelVersion(name, '1')).run_id, runA);

    t.equal(await store.setAlias(name, 'production', '1'), null, 'no holder before');
    t.equal((await store.getModelVersionByAlias(name, 'production')).version, '1');
    t.same((await store.getModelVersion(name, '1')).aliases, ['production']);
    t.equal(await store.setAlias(name, 'production', '2'), '1', 'returns the version it replaced');
    t.equal(
      (await store.getModelVersionByAlias(name, 'production')).version,
      '2',
      'the alias moved',
    );
    t.same((await store.getModelVersion(name, '1')).aliases, [], 'and left v1');
    await store.setAlias(name, 'staging', '1');
    t.same((await store.getRegisteredModel(name)).aliases, { production: '2', staging: '1' });
    await store.deleteAlias(name, 'staging');
    await t.rejects(store.getModelVersionByAlias(name, 'staging'), NotFoundError, 'deleted alias');
    t.same((await store.getRegisteredModel(name)).aliases, { production: '2' });

    await t.rejects(store.getModelVersion(name, '99'), NotFoundError, 'unknown version');
    await t.rejects(
      store.setAlias(name, 'champion', '99'),
      NotFoundError,
      'alias to an unknown version',
    );
    await t.rejects(store.getModelVersionByAlias(name, 'champion'), NotFoundError);
    await t.rejects(
      store.createModelVersion({
        name: unique('never_created'),
        source: 'runs:/x/model',
        runId: null,
      }),
      NotFoundError,
    );
    await t.rejects(
      store.setAlias(name, 'latest', '1'),
      InvalidParameterError,
      "'latest' is reserved",
    );
    await t.rejects(
      store.setAlias(name, 'v3', '1'),
      InvalidParameterError,
      'v<digits> is reserved',
    );
    await t.rejects(store.setAlias(name, 'my alias', '1'), InvalidParameterError, 'spaces');
    await t.rejects(
      store.createModelVersion({ name, source: 'models:/m-1', runId: null, modelId: '../m-1' }),
      InvalidParameterError,
      'a malformed logged model id',
    );
    await t.rejects(
      store.createRegisteredModel('a/b'),
      InvalidParameterError,
      "'/' in a model name",
    );
    await t.rejects(store.getRegisteredModel('../models'), InvalidParameterError);
    await t.rejects(
      store.getModelVersion(name, 'one'),
      InvalidParameterError,
      'non-numeric version',
    );
  });

  await runRegistryConformance(t, store, unique, timeout);
  await runRuleConformance(t, store, unique, timeout);
  await runRunGroupConformance(t, store, unique, timeout);
  await runLoggedModelConformance(t, store, unique, timeout, newRun);
}
