/**
 * createRuns and updateRuns, run by the conformance suite against every store: a group of
 * runs created with their tags and params, then updated with metrics and a status in one
 * call, reads back exactly as the same writes made one run at a time; a bad request in a
 * group is refused before anything of the group is written.
 */
import { InvalidParameterError, NotFoundError } from '../../src/errors.js';
import type { TrackingStore } from '../../src/tracking/store.js';
import type { TapTest } from './conformance.js';

const BASE_TIME = 1_700_000_000_000;

export async function runRunGroupConformance(
  t: TapTest,
  store: TrackingStore,
  unique: (prefix: string) => string,
  timeout: number,
): Promise<void> {
  await t.test(
    'run groups: created with tags and params, updated, read back',
    { timeout },
    async (t) => {
      const experiment = await store.createExperiment(unique('conf-group'));
      const parent = await store.createRun({
        experimentId: experiment.experiment_id,
        runName: 'sweep',
        startTime: BASE_TIME,
        userId: 'conformance',
      });
      const infos = await store.createRuns(
        [1, 2, 3].map((i) => ({
          experimentId: experiment.experiment_id,
          runName: `sweep-t${i}`,
          startTime: BASE_TIME + i,
          userId: 'conformance',
          tags: { 'mlflow.parentRunId': parent.run_id, trial: String(i) },
          params: [
            { key: 'max_depth', value: String(i) },
            { key: 'seed', value: '7' },
          ],
        })),
      );
      t.same(
        infos.map((i) => [i.run_name, i.status, i.start_time, i.end_time, i.user_id]),
        [1, 2, 3].map((i) => [`sweep-t${i}`, 'RUNNING', BASE_TIME + i, null, 'conformance']),
        'the infos, in the order asked',
      );
      t.equal(new Set(infos.map((i) => i.run_id)).size, 3, 'three distinct runs');
      t.ok(
        infos.every((i) => i.experiment_id === experiment.experiment_id && i.artifact_uri !== ''),
      );

      const [a, b, c] = infos.map((i) => i.run_id) as [string, string, string];
      await store.updateRuns([
        {
          runId: a,
          batch: { metrics: [{ key: 'acc', value: 0.9, timestamp: BASE_TIME + 10, step: 0 }] },
          status: 'FINISHED',
          endTime: BASE_TIME + 11,
        },
        { runId: b, status: 'FAILED', endTime: BASE_TIME + 12 },
        // the same run twice: the second update starts from what the first wrote
        {
          runId: a,
          batch: { metrics: [{ key: 'acc', value: 0.95, timestamp: BASE_TIME + 13, step: 1 }] },
        },
        { runId: c, batch: { tags: [{ key: 'note', value: 'x y' }] } },
      ]);
      const [ra, rb, rc] = await Promise.all([a, b, c].map((id) => store.getRun(id)));
      t.same(ra?.data.params, { max_depth: '1', seed: '7' }, 'params written with the run');
      t.equal(ra?.data.tags['mlflow.parentRunId'], parent.run_id);
      t.equal(ra?.data.tags['mlflow.runName'], 'sweep-t1');
      t.equal(ra?.data.tags.trial, '1');
      t.same(ra?.data.metrics, { acc: 0.95 }, 'both updates of one run landed, in order');
      t.same((await store.getMetricHistory(a, 'acc')).map((m) => m.value).sort(), [0.9, 0.95]);
      t.same([ra?.info.status, ra?.info.end_time], ['FINISHED', BASE_TIME + 11]);
      t.same([rb?.info.status, rb?.info.end_time], ['FAILED', BASE_TIME + 12]);
      t.same(rb?.data.metrics, {});
      t.same([rc?.info.status, rc?.info.end_time], ['RUNNING', null], 'no status: left as it is');
      t.equal(rc?.data.tags.note, 'x y');

      const children = await store.searchRuns({
        experimentIds: [experiment.experiment_id],
        filter: `tags.mlflow.parentRunId = '${parent.run_id}'`,
      });
      t.same(children.map((r) => r.info.run_id).sort(), [a, b, c].sort(), 'found as children');
      t.same(await store.createRuns([]), [], 'an empty group creates nothing');
      await store.updateRuns([]);
    },
  );

  await t.test('run groups: a bad request refuses the whole group', { timeout }, async (t) => {
    const experiment = await store.createExperiment(unique('conf-group-bad'));
    const ok = {
      experimentId: experiment.experiment_id,
      runName: 'fine',
      startTime: BASE_TIME,
      userId: 'conformance',
    };
    await t.rejects(
      store.createRuns([ok, { ...ok, runName: 'bad', params: [{ key: '../escape', value: '1' }] }]),
      InvalidParameterError,
    );
    await t.rejects(
      store.createRuns([
        ok,
        {
          ...ok,
          params: [
            { key: 'p', value: '1' },
            { key: 'p', value: '2' },
          ],
        },
      ]),
      InvalidParameterError,
      'a param twice in one run',
    );
    t.same(
      await store.searchRuns({ experimentIds: [experiment.experiment_id] }),
      [],
      'nothing of the group was written',
    );
    const [run] = await store.createRuns([{ ...ok, params: [{ key: 'p', value: '1' }] }]);
    const runId = run?.run_id ?? '';
    await t.rejects(
      store.updateRuns([
        { runId, status: 'FINISHED', endTime: BASE_TIME + 1 },
        { runId, status: 'DONE' as never },
      ]),
      InvalidParameterError,
      'an unknown status',
    );
    t.equal((await store.getRun(runId)).info.status, 'RUNNING', 'the valid update was not applied');
    await t.rejects(
      store.updateRuns([{ runId, batch: { params: [{ key: 'p', value: '2' }] } }]),
      InvalidParameterError,
      'a param cannot change value',
    );
    await t.rejects(
      store.updateRuns([{ runId: 'f'.repeat(32), status: 'FINISHED', endTime: BASE_TIME }]),
      NotFoundError,
    );
  });
}
