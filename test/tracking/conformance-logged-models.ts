/**
 * MLflow 3's logged models, run by the conformance suite against every store: a model is
 * created PENDING with its params and tags, gets its own files, is linked to its run as an
 * output, takes metrics from the run, and is finalized; bad ids and names are refused before
 * anything is written.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidParameterError, NotFoundError } from '../../src/errors.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import type { TapTest } from './conformance.js';

const BASE_TIME = 1_700_000_000_000;
/** well formed, never issued */
const ABSENT_MODEL_ID = `m-${'0'.repeat(32)}`;

export async function runLoggedModelConformance(
  t: TapTest,
  store: TrackingStore,
  unique: (prefix: string) => string,
  timeout: number,
  /** the suite's own: a RUNNING run in the experiment */
  startRun: (experimentId: string, runName: string, startTime: number) => Promise<string>,
): Promise<void> {
  const newRun = async (): Promise<{ experimentId: string; runId: string }> => {
    const experimentId = (await store.createExperiment(unique('conf-models'))).experiment_id;
    return { experimentId, runId: await startRun(experimentId, 'with-model', BASE_TIME) };
  };

  await t.test(
    'logged models: create, files, output link, metrics, finalize',
    { timeout },
    async (t) => {
      const { experimentId, runId } = await newRun();
      const created = await store.createLoggedModel({
        experimentId,
        name: 'model',
        sourceRunId: runId,
        params: { max_depth: '5' },
        tags: { 'mlflow.user': 'conformance' },
      });
      t.match(created.model_id, /^m-[0-9a-f]{32}$/);
      t.equal(created.status, 'PENDING');
      t.equal(created.experiment_id, experimentId);
      t.equal(created.source_run_id, runId);
      t.same(created.params, { max_depth: '5' });
      t.same(created.tags, { 'mlflow.user': 'conformance' });
      t.match(created.artifact_location, new RegExp(`models/${created.model_id}/artifacts$`));

      const local = mkdtempSync(path.join(os.tmpdir(), 'irisops-conf-model-'));
      t.teardown(() => rmSync(local, { recursive: true, force: true }));
      writeFileSync(path.join(local, 'MLmodel'), 'flavors: {}\n');
      mkdirSync(path.join(local, 'nested'));
      writeFileSync(path.join(local, 'nested', 'model.json'), '{"trees":[]}');
      await store.logLoggedModelArtifacts(created.model_id, local);
      t.same(
        await store.listLoggedModelArtifacts(created.model_id),
        [
          { path: 'MLmodel', is_dir: false, file_size: 12 },
          { path: 'nested', is_dir: true },
        ],
        "the model's own files, listed",
      );
      t.same(
        (await store.listLoggedModelArtifacts(created.model_id, 'nested')).map((f) => f.path),
        ['nested/model.json'],
      );
      t.equal(
        (await store.readLoggedModelArtifact(created.model_id, 'nested/model.json')).toString(),
        '{"trees":[]}',
        'and read back',
      );
      await t.rejects(
        store.readLoggedModelArtifact(created.model_id, 'absent.json'),
        NotFoundError,
        'a file the model does not have',
      );
      t.same(await store.listArtifacts(runId), [], "none of them among the run's artifacts");

      t.same((await store.getRun(runId)).outputs, [], 'no output before it is logged');
      await store.logOutputs(runId, [{ model_id: created.model_id, step: 0 }]);
      await store.logOutputs(runId, [{ model_id: created.model_id, step: 0 }]);
      t.same(
        (await store.getRun(runId)).outputs,
        [{ model_id: created.model_id, step: 0 }],
        'once',
      );

      await store.logBatch(runId, {
        metrics: [
          {
            key: 'accuracy',
            value: 0.9,
            timestamp: BASE_TIME,
            step: 0,
            model_id: created.model_id,
          },
        ],
      });
      t.equal((await store.getRun(runId)).data.metrics.accuracy, 0.9, "the run's metric too");
      const finalized = await store.finalizeLoggedModel(created.model_id, 'READY');
      t.equal(finalized.status, 'READY');
      const read = await store.getLoggedModel(created.model_id);
      t.equal(read.status, 'READY');
      t.same(
        read.metrics.map((m) => [m.key, m.value, m.step, m.run_id]),
        [['accuracy', 0.9, 0, runId]],
        'the model metric names the run that logged it',
      );
      t.ok(read.last_updated_timestamp >= read.creation_timestamp);
    },
  );

  await t.test(
    'logged models: unknown ids and bad input are typed errors',
    { timeout },
    async (t) => {
      const { experimentId, runId } = await newRun();
      await t.rejects(store.getLoggedModel(ABSENT_MODEL_ID), NotFoundError, 'unknown model');
      await t.rejects(store.getLoggedModel('../m-1'), InvalidParameterError, 'traversal in an id');
      await t.rejects(
        store.listLoggedModelArtifacts(ABSENT_MODEL_ID),
        NotFoundError,
        "an unknown model's files",
      );
      await t.rejects(
        store.readLoggedModelArtifact(ABSENT_MODEL_ID, '../MLmodel'),
        InvalidParameterError,
        'traversal in an artifact path',
      );
      await t.rejects(
        store.finalizeLoggedModel('m-not-hex', 'READY'),
        InvalidParameterError,
        'malformed id on finalize',
      );
      await t.rejects(
        store.createLoggedModel({ experimentId, name: 'a/b', sourceRunId: runId }),
        InvalidParameterError,
        "'/' in a model name",
      );
      await t.rejects(
        store.createLoggedModel({ experimentId, name: 'ok', sourceRunId: '../x' }),
        InvalidParameterError,
        'bad source run id',
      );
      await t.rejects(
        store.logOutputs(runId, [{ model_id: 'model', step: 0 }]),
        InvalidParameterError,
        'an output that is not a model id',
      );
      await t.rejects(
        store.logBatch(runId, {
          metrics: [{ key: 'a', value: 1, timestamp: BASE_TIME, step: 0, model_id: '../m' }],
        }),
        InvalidParameterError,
        'a metric naming a malformed model id',
      );
      t.same((await store.getRun(runId)).data.metrics, {}, 'nothing written');
      t.same((await store.getRun(runId)).outputs, [], 'no output written');
    },
  );
}
