/**
 * registry history and rollback against a real `mlflow server`: the same scenario as on a
 * folder, the moves stored as registered-model tags that MLflow's own client reads back.
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { mlflowPythonOrSkip, startMlflowServer } from '../helpers/mlflow-server.js';
import { tempDir } from '../helpers/temp.js';
import { aliasHistoryScenario } from './alias-history-scenario.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.plan(0, found.skip);
} else {
  const { python } = found;
  const server = await startMlflowServer(t, python);
  const cwd = tempDir(t);
  const cli = (args: string[], env: Record<string, string> = {}) =>
    runCli(args, { cwd, env: { MLFLOW_TRACKING_URI: server.url, ...env }, timeoutMs: 120_000 });

  t.test('promote twice, history, --at, rollback on the server', async (t) => {
    for (const seed of ['1', '2']) {
      const r = await cli(['train', '--n-estimators', '5', '--seed', seed, '--json']);
      t.equal(r.code, 0, r.stderr);
    }
    await aliasHistoryScenario(t, cli, python, server.url);
  });

  t.test('rollback with nothing before is refused on the server too', async (t) => {
    const r = await cli(['registry', 'rollback', 'iris_classifier', '--alias', 'nosuch']);
    t.equal(r.code, 1);
    t.match(
      r.stderr,
      /^error: alias "nosuch" not found on registered model "iris_classifier"\nhint: /,
    );
  });
}
