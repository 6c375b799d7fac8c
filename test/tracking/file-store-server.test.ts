/**
 * SPEC's proof that the local folder is MLflow's: `mlflow server --backend-store-uri <folder>`
 * answers runs/search, registered-models/search and get-by-alias for everything irisops wrote.
 */
import t from 'tap';
import path from 'node:path';
import { mlflowPythonOrSkip, startMlflowServer } from '../helpers/mlflow-server.js';
import { trainedStore } from '../helpers/fixtures.js';

const found = mlflowPythonOrSkip();
if ('skip' in found) {
  t.plan(0, found.skip);
} else {
  t.test('an MLflow server over the folder answers for every run, version and alias', async (t) => {
    const { root, outcomes } = await trainedStore(t, { versions: 2, alias: 'production' });
    const server = await startMlflowServer(t, found.python, {
      backendStoreUri: path.resolve(root),
    });
    t.teardown(() => server.stop());
    const api = `${server.url}/api/2.0/mlflow`;
    const post = async (p: string, body: unknown) => {
      const res = await fetch(`${api}/${p}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      t.equal(res.status, 200, `POST ${p}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const get = async (p: string) => {
      const res = await fetch(`${api}/${p}`);
      t.equal(res.status, 200, `GET ${p}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const experimentId = outcomes[0]!.result.experiment_id;
    const runs = (await post('runs/search', { experiment_ids: [experimentId] })).runs as {
      info: { run_id: string; status: string };
      data: { metrics: { key: string }[] };
    }[];
    t.same(
      runs.map((r) => r.info.run_id).sort(),
      outcomes.map((o) => o.result.run_id).sort(),
      'every run irisops logged',
    );
    t.ok(
      runs.every(
        (r) => r.info.status === 'FINISHED' && r.data.metrics.some((m) => m.key === 'accuracy'),
      ),
    );
    const models = (await get('registered-models/search')).registered_models as {
      name: string;
      latest_versions?: unknown[];
    }[];
    t.same(
      models.map((m) => m.name),
      ['iris_classifier'],
    );
    const alias = (await get('registered-models/alias?name=iris_classifier&alias=production'))
      .model_version as { version: string; run_id: string };
    t.equal(alias.version, '2');
    t.equal(alias.run_id, outcomes[1]!.result.run_id);
  });
}
