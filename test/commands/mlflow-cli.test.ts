/**
 * Every command against a real `mlflow server`, the same way as against the local folder,
 * with MLflow's Python client as the referee. One server for the whole file.
 */
import t from 'tap';
import { spawn } from 'node:child_process';
import { serveProcess } from '../helpers/serve-process.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { startFaultProxy } from '../helpers/fault-proxy.js';
import {
  freePort,
  mlflowPythonOrSkip,
  runPythonJson,
  startMlflowServer,
} from '../helpers/mlflow-server.js';
import { validatorFor } from '../../src/schemas/index.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.plan(0, found.skip);
} else {
  const python = found.python;
  const server = await startMlflowServer(t, python);
  const env = { MLFLOW_TRACKING_URI: server.url };
  const cwd = tempDir(t);
  const cli = (args: string[], extra: Record<string, string> = {}) =>
    runCli(args, { cwd, env: { ...env, ...extra }, timeoutMs: 120_000 });

  let runId = '';
  t.test('train, promote, runs ls, runs show, registry ls against the server', async (t) => {
    const first = await cli(['train', '--json', '--n-estimators', '20']);
    t.equal(first.code, 0, first.stderr);
    const r1 = JSON.parse(first.stdout) as {
      run_id: string;
      artifact_uri: string;
      registered_model: { version: string };
    };
    t.ok(validatorFor('train-result')(r1));
    t.match(r1.artifact_uri, /^mlflow-artifacts:/, 'artifacts go through the server proxy');
    runId = r1.run_id;
    const second = await cli(['train', '--json', '--n-estimators', '10', '--max-depth', '3']);
    t.equal(second.code, 0, second.stderr);
    t.equal(
      (JSON.parse(second.stdout) as { registered_model: { version: string } }).registered_model
        .version,
      '2',
    );

    const promote = await cli(['registry', 'promote', 'iris_classifier', '1', '--json']);
    t.equal(promote.code, 0, promote.stderr);
    t.same(JSON.parse(promote.stdout), {
      name: 'iris_classifier',
      alias: 'production',
      version: '1',
      previous_version: null,
    });

    const ls = JSON.parse((await cli(['runs', 'ls', '--json'])).stdout) as {
      runs: { run_id: string; registered_versions: { version: string; aliases: string[] }[] }[];
    };
    t.ok(validatorFor('runs-list')(ls));
    t.equal(ls.runs.length, 2);
    t.equal(ls.runs[1]?.run_id, runId, 'newest first');
    t.same(ls.runs[1]?.registered_versions, [
      { name: 'iris_classifier', version: '1', aliases: ['production'] },
    ]);
    const table = await cli(['runs', 'ls']);
    t.match(table.stdout, /v1 @production/);

    const show = await cli(['runs', 'show', runId, '--json']);
    t.equal(show.code, 0, show.stderr);
    const detail = JSON.parse(show.stdout) as {
      artifacts: { path: string }[];
      confusion_matrix: unknown;
    };
    t.ok(validatorFor('run-detail')(detail));
    t.ok(detail.artifacts.some((a) => a.path === 'model/model.json'));
    t.not(detail.confusion_matrix, null);

    const reg = JSON.parse((await cli(['registry', 'ls', '--json'])).stdout) as {
      models: { name: string; aliases: Record<string, string> }[];
    };
    t.ok(validatorFor('registry-list')(reg));
    t.same(reg.models.find((m) => m.name === 'iris_classifier')?.aliases, { production: '1' });
  });

  t.test("MLflow's Python client reads what irisops wrote", async (t) => {
    const got = runPythonJson(
      python,
      server.url,
      `
import json, os, tempfile
from mlflow import MlflowClient
c = MlflowClient()
r = c.get_run("${runId}")
mv = c.get_model_version_by_alias("iris_classifier", "production")
d = c.download_artifacts("${runId}", "model/MLmodel", tempfile.mkdtemp())
print(json.dumps({"params": r.data.params, "metrics": r.data.metrics, "tags": r.data.tags, "status": r.info.status,
  "inputs": [{"name": i.dataset.name, "digest": i.dataset.digest} for i in r.inputs.dataset_inputs],
  "alias_version": mv.version, "alias_run": mv.run_id, "mlmodel": open(d).read()}))
`,
    ) as {
      params: Record<string, string>;
      metrics: Record<string, number>;
      tags: Record<string, string>;
      status: string;
      inputs: { name: string; digest: string }[];
      alias_version: string;
      alias_run: string;
      mlmodel: string;
    };
    t.equal(got.status, 'FINISHED');
    t.equal(got.params.n_estimators, '20');
    t.equal(got.params.max_depth, '5');
    t.ok((got.metrics.accuracy ?? 0) > 0.8);
    t.equal(got.tags.framework, 'irisops');
    t.equal(got.inputs[0]?.name, 'iris');
    t.equal(got.alias_version, '1');
    t.equal(got.alias_run, runId);
    t.match(got.mlmodel, /irisops:/);
  });

  t.test(
    'a run and a logged-model version made by the Python client are listed; serve refuses the version',
    async (t) => {
      runPythonJson(
        python,
        server.url,
        `
import json, mlflow
from mlflow import MlflowClient
mlflow.set_experiment("iris-classification")
with mlflow.start_run(run_name="from-python") as run:
    mlflow.log_param("n_estimators", "7")
    mlflow.log_metric("accuracy", 0.5)
    mlflow.log_text("not a model", "notamodel/readme.txt")
c = MlflowClient()
c.create_registered_model("python_model")
mv = c.create_model_version("python_model", run.info.artifact_uri + "/notamodel", run_id=run.info.run_id)
print(json.dumps({"run": run.info.run_id, "version": mv.version}))
`,
      );
      const ls = JSON.parse((await cli(['runs', 'ls', '--json'])).stdout) as {
        runs: { run_name: string; params: Record<string, string> }[];
      };
      t.ok(ls.runs.some((r) => r.run_name === 'from-python' && r.params.n_estimators === '7'));
      const reg = await cli(['registry', 'ls', 'python_model', '--json']);
      t.equal(reg.code, 0, reg.stderr);
      const models = JSON.parse(reg.stdout) as {
        models: { versions: { version: string; servable: boolean }[] }[];
      };
      t.same(
        models.models[0]?.versions.map((v) => [v.version, v.servable]),
        [['1', false]],
      );
      const served = await serveProcess(t, ['--model', 'models:/python_model/1'], { cwd, env });
      const health = await fetch(`${served.url}/health`);
      t.equal(health.status, 503, 'nothing servable is loaded');
      t.match(served.stderr() + (await health.text()), /irisops model|model\.json/i, 'says why');
      served.child.kill('SIGTERM');
      t.equal((await served.exit).code, 0);
    },
  );

  t.test('serve loads the promoted model from the server and predicts', async (t) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['bin/irisops.js', 'serve', '--port', String(port)], {
      env: { ...process.env, ...env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    t.teardown(() => child.kill('SIGKILL'));
    let body: { prediction_label?: string; model_version?: string } = {};
    for (let i = 0; i < 100; i++) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            features: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
          }),
        });
        if (res.status === 200) {
          body = (await res.json()) as typeof body;
          break;
        }
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    t.equal(body.prediction_label, 'setosa');
    t.equal(body.model_version, '1');
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    child.kill('SIGTERM');
    t.equal(await exited, 0, 'graceful exit');
  });

  t.test(
    'faults: a 500 once is retried, an unknown model and a stopped server are clear errors',
    async (t) => {
      const proxy = await startFaultProxy(t, server.url);
      proxy.faults.push({
        status: 500,
        body: '{"error_code":"INTERNAL_ERROR","message":"injected"}',
      });
      const retried = await runCli(['train', '--json', '--n-estimators', '5', '--no-register'], {
        cwd,
        env: { MLFLOW_TRACKING_URI: proxy.url },
      });
      t.equal(retried.code, 0, retried.stderr);
      t.ok(proxy.seen.length > 1);

      const unknown = await cli(['registry', 'promote', 'no_such_model', '1']);
      t.equal(unknown.code, 1);
      t.match(unknown.stderr, /^error: .*no_such_model/m);

      const deadPort = await freePort();
      const down = await runCli(['runs', 'ls'], {
        cwd,
        env: {
          MLFLOW_TRACKING_URI: `http://127.0.0.1:${deadPort}`,
          MLFLOW_HTTP_REQUEST_MAX_RETRIES: '1',
        },
      });
      t.equal(down.code, 1);
      t.match(down.stderr, new RegExp(`error: .*127\\.0\\.0\\.1:${deadPort}`));
      t.equal(down.stderr.split('\n').filter((l) => l.startsWith('error:')).length, 1, 'one line');
    },
  );
}
