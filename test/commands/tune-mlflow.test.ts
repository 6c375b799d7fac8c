/**
 * irisops tune against a real `mlflow server`: the same nested runs as in the local folder,
 * with MLflow's Python client as the referee (it finds the children by mlflow.parentRunId).
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { mlflowPythonOrSkip, runPythonJson, startMlflowServer } from '../helpers/mlflow-server.js';
import { validatorFor } from '../../src/schemas/index.js';
import type { RunDetail, RunsList, TuneResult } from '../../src/schemas/types.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.plan(0, found.skip);
} else {
  const { python } = found;
  const server = await startMlflowServer(t, python);
  const cwd = tempDir(t);
  const cli = (args: string[]) =>
    runCli(args, { cwd, env: { MLFLOW_TRACKING_URI: server.url }, timeoutMs: 240_000 });

  t.test('a sweep on the server: parent, children, winner registered', async (t) => {
    const r = await cli([
      'tune',
      '--n-estimators',
      '3,6',
      '--max-depth',
      '2',
      '--cv',
      '3',
      '--json',
    ]);
    t.equal(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as TuneResult;
    t.ok(validatorFor('tune-result')(result));
    t.same(result.registered_model, { name: 'iris_classifier', version: '1' });

    const seen = runPythonJson(
      python,
      server.url,
      `
import json
from mlflow import MlflowClient
c = MlflowClient()
exp = c.get_experiment_by_name("iris-classification")
kids = c.search_runs([exp.experiment_id], "tags.mlflow.parentRunId = '${result.parent_run_id}'")
parent = c.get_run("${result.parent_run_id}")
print(json.dumps({
  "children": sorted(k.data.tags.get("irisops.tune.role") for k in kids),
  "statuses": sorted(k.info.status for k in kids),
  "parent": parent.info.status,
  "best": parent.data.params.get("best_n_estimators"),
  "winner_files": sorted(a.path for a in c.list_artifacts("${result.winner.run_id}", "model")),
}))
`,
    ) as {
      children: string[];
      statuses: string[];
      parent: string;
      best: string;
      winner_files: string[];
    };
    t.same(seen.children, ['trial', 'trial', 'winner']);
    t.same(seen.statuses, ['FINISHED', 'FINISHED', 'FINISHED']);
    t.equal(seen.parent, 'FINISHED');
    t.equal(seen.best, String(result.winner.params.n_estimators));
    t.ok(seen.winner_files.includes('model/MLmodel'), seen.winner_files.join(','));

    const only = await cli(['runs', 'ls', '--parent', result.parent_run_id, '--json']);
    t.equal(only.code, 0, only.stderr);
    t.equal((JSON.parse(only.stdout) as RunsList).runs.length, 3);
    const show = await cli(['runs', 'show', result.parent_run_id, '--json']);
    t.equal(show.code, 0, show.stderr);
    t.equal((JSON.parse(show.stdout) as RunDetail).children?.length, 3);
  });
}
