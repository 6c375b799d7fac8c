/**
 * irisops against a production MLflow, as a user runs it: `mlflow server` on PostgreSQL
 * with S3 artifacts (moto), the whole stack started here: train → promote (the model lands in
 * the bucket) → two `serve --reload-interval 1` replicas following a promotion with no failed
 * request.
 */
import { spawnSync } from 'node:child_process';
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { mlflowPythonOrSkip } from '../helpers/mlflow-server.js';
import { postgresBin, startProductionMlflow } from '../helpers/production-mlflow.js';
import { serveProcess } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp.js';

const found = mlflowPythonOrSkip();
const bin = postgresBin();
const imports = (python: string) =>
  spawnSync(python, ['-c', 'import moto.server, psycopg, boto3'], { stdio: 'ignore' }).status === 0;

if ('skip' in found) {
  t.plan(0, found.skip);
} else if (!bin) {
  t.plan(0, 'PostgreSQL server binaries not found (apt-get install postgresql)');
} else if (!imports(found.python)) {
  const message = 'moto[server], psycopg or boto3 missing: pip install -r requirements-mlflow.txt';
  if (process.env.IRISOPS_REQUIRE_MLFLOW === '1') throw new Error(message);
  t.plan(0, message);
} else {
  const server = await startProductionMlflow(t, found.python, bin);
  t.comment(`mlflow on PostgreSQL + S3 healthy after ${server.startupMs} ms`);
  const env = { MLFLOW_TRACKING_URI: server.url };
  const cwd = tempDir(t);
  const cli = (args: string[]) => runCli(args, { cwd, env, timeoutMs: 120_000 });

  await t.test('train and promote: the model lands in the S3 bucket', async (t) => {
    const trained = await cli(['train', '--json', '--n-estimators', '20']);
    t.equal(trained.code, 0, trained.stderr);
    const promoted = await cli(['registry', 'promote', 'iris_classifier', '1', '--json']);
    t.equal(promoted.code, 0, promoted.stderr);
    const listing = await (await fetch(`${server.s3Endpoint}/${server.bucket}?list-type=2`)).text();
    t.match(listing, /mlartifacts\/[^<]*\/model\/model\.json/, 'model.json is in the bucket');
  });

  await t.test('two replicas follow a promotion with no failed request', async (t) => {
    const args = ['--reload-interval', '1', '--log-level', 'silent'];
    const replicas = await Promise.all([
      serveProcess(t, args, { cwd, env }),
      serveProcess(t, args, { cwd, env }),
    ]);
    const versionOf = async (url: string) => {
      const answer = await fetch(`${url}/v2/models/iris_classifier`);
      if (!answer.ok) throw new Error(`${url}: ${answer.status} ${await answer.text()}`);
      return ((await answer.json()) as { versions: string[] }).versions[0];
    };
    for (const r of replicas) t.equal(await versionOf(r.url), '1');
    const second = await cli(['train', '--json', '--n-estimators', '10']);
    t.equal(second.code, 0, second.stderr);
    const promoted = await cli(['registry', 'promote', 'iris_classifier', '2']);
    t.equal(promoted.code, 0, promoted.stderr);

    let failed = 0;
    let requests = 0;
    const body = JSON.stringify({
      inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: [5.1, 3.5, 1.4, 0.2] }],
    });
    const following = new Set<string>();
    // bounded: at most 30 s of polling, a request to each replica every 50 ms
    for (let i = 0; i < 600 && following.size < replicas.length; i++) {
      for (const r of replicas) {
        requests++;
        const answer = await fetch(`${r.url}/v2/models/iris_classifier/infer`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }).catch(() => null);
        if (!answer?.ok) {
          failed++;
          continue;
        }
        const { model_version } = (await answer.json()) as { model_version: string };
        if (model_version === '2') following.add(r.url);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    t.equal(following.size, 2, 'both replicas serve version 2');
    t.equal(failed, 0, `no failed request of ${requests}`);
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => r.exit));
  });
}
