import { execFile, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { validatorFor } from '../../src/schemas/index.js';
import { trainedStore } from '../helpers/fixtures.js';
import { requireMlflow } from '../helpers/python.js';
import { startTestServer } from './helpers.js';

interface TritonReport {
  live: boolean;
  ready: boolean;
  model_ready: boolean;
  other_ready: boolean;
  metadata: { name: string };
  all: unknown;
  columns: unknown;
  bad: { status: string; message: string };
}

const python = requireMlflow(t);
const script = fileURLToPath(new URL('./v2_tritonclient.py', import.meta.url));

function hasTritonClient(py: string): boolean {
  return spawnSync(py, ['-c', 'import tritonclient.http'], { stdio: 'ignore' }).status === 0;
}

if (python && !hasTritonClient(python)) {
  const message = 'tritonclient[http] is not installed (pip install -r requirements-mlflow.txt)';
  if (process.env.IRISOPS_REQUIRE_MLFLOW === '1') throw new Error(message);
  t.plan(0, message);
} else if (python) {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const server = await startTestServer(t, store);

  t.test("Triton's own client reads health, metadata and inferences", async (t) => {
    // asynchronous: the server answering the client lives in this process
    const run = await new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        python,
        [script, server.url.replace('http://', ''), 'iris_classifier'],
        { timeout: 60_000 },
        (error, stdout, stderr) => resolve({ status: error ? 1 : 0, stdout, stderr }),
      ),
    );
    t.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout) as TritonReport;
    t.equal(report.live, true, 'is_server_live');
    t.equal(report.ready, true, 'is_server_ready');
    t.equal(report.model_ready, true, 'is_model_ready');
    t.equal(report.other_ready, false, 'an unknown model is not ready');
    t.ok(validatorFor('v2-model-metadata')(report.metadata), 'get_model_metadata');
    t.equal(report.metadata.name, 'iris_classifier');
    t.same(report.all, {
      id: 'triton-1',
      predictions: [0, 1, 2],
      probabilities_shape: [3, 3],
      labels: ['setosa', 'versicolor', 'virginica'],
    });
    t.same(report.columns, { predictions: [0, 1, 2], labels: null }, 'outputs selects');
    t.equal(report.bad.status, '400');
    t.match(report.bad.message, /\/inputs\/0\/shape must be \[N, 4\]/);
  });
}
