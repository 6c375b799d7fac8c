/**
 * Artifact tampering through the real CLI: a model.json whose bytes changed after it was
 * logged is refused by `irisops serve` with a log line naming the digest mismatch, and a
 * running server keeps its last good model when the tampered version is promoted. (The
 * in-process variant of the second case is in test/serve/reload.test.ts.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import type { LocalStore } from '../../src/tracking/local/index.js';
import { call, SAMPLES } from '../serve/helpers.js';
import { logLines, reportFigures, startServe, until, walkFiles } from './helpers.js';

async function modelFile(root: string, store: LocalStore, version: string): Promise<string> {
  const runId = (await store.getModelVersion('iris_classifier', version)).run_id ?? '';
  const rel = walkFiles(root).find((f) => f.endsWith(`${runId}/artifacts/model/model.json`));
  if (rel === undefined) throw new Error(`no model.json for version ${version}`);
  return path.join(root, rel);
}

/** Changes one threshold: still valid JSON and a valid model, only the digest can tell. */
function tamper(file: string): void {
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(/"threshold":\[(-?\d+(\.\d+)?)/, (_, n: string) => {
    return `"threshold":[${Number(n) + 0.5}`;
  });
  if (changed === text) throw new Error('nothing to tamper with');
  writeFileSync(file, changed);
}

const predictBody = {
  body: JSON.stringify({ features: SAMPLES.setosa }),
  headers: { 'content-type': 'application/json' },
};

t.test(
  'serve refuses a tampered model at start: digest mismatch logged, /health 503',
  async (t) => {
    const { root, store } = await trainedStore(t, { versions: 1, alias: 'production' });
    const file = await modelFile(root, store, '1');
    tamper(file);
    // and the MLmodel's copy of the digest is rewritten to match: the run's tag still decides
    const mlmodel = path.join(path.dirname(file), 'MLmodel');
    const { digestBytes } = await import('../../src/data/dataset.js');
    writeFileSync(
      mlmodel,
      readFileSync(mlmodel, 'utf8').replace(
        /model_digest: sha256:[0-9a-f]+/,
        `model_digest: sha256:${digestBytes(readFileSync(file))}`,
      ),
    );

    const served = await startServe(t, ['--tracking-uri', root, '--log-level', 'info']);
    const health = await call(served.url, '/health');
    t.equal(health.status, 503, '/health 503: nothing else to serve');
    t.match(health.json, { model_loaded: false, model_version: null });
    t.equal((await call(served.url, '/predict', predictBody)).status, 503, '/predict 503');
    const refusal = logLines(served.stdout()).find((l) => l.code === 'MODEL_DIGEST_MISMATCH');
    t.ok(refusal, 'a log line with code MODEL_DIGEST_MISMATCH');
    t.match(refusal, {
      level: 'error',
      error: /model\.json digest sha256:\S+ does not match the sha256:\S+ its run recorded/,
    });
    t.match(
      served.stderr(),
      /warning: no model loaded: .*digest .* does not match the .* its run recorded/,
    );
    served.child.kill('SIGTERM');
    t.equal((await served.exit).code, 0);

    // asking for that version explicitly is refused the same way
    const explicit = await startServe(t, [
      '--tracking-uri',
      root,
      '--model',
      'models:/iris_classifier/1',
      '--log-level',
      'info',
    ]);
    t.equal((await call(explicit.url, '/health')).status, 503);
    t.ok(logLines(explicit.stdout()).some((l) => l.code === 'MODEL_DIGEST_MISMATCH'));
    explicit.child.kill('SIGTERM');
    await explicit.exit;
  },
);

t.test(
  'a running serve keeps its last good model when a tampered version is promoted',
  async (t) => {
    const { root, store } = await trainedStore(t, { versions: 2, alias: 'production' });
    await store.setAlias('iris_classifier', 'production', '1');
    const served = await startServe(t, [
      '--tracking-uri',
      root,
      '--reload-interval',
      '0.2',
      '--log-level',
      'info',
    ]);
    t.match((await call(served.url, '/health')).json, { model_version: '1' });
    tamper(await modelFile(root, store, '2'));
    const promote = await runCli([
      'registry',
      'promote',
      'iris_classifier',
      '2',
      '--tracking-uri',
      root,
    ]);
    t.equal(promote.code, 0, 'promotion itself succeeds (the registry does not read model bytes)');
    t.ok(
      await until(() => logLines(served.stdout()).some((l) => l.code === 'MODEL_DIGEST_MISMATCH')),
      'the refusal is logged',
    );
    const line = logLines(served.stdout()).find((l) => l.code === 'MODEL_DIGEST_MISMATCH');
    t.match(line, { level: 'error', msg: /keeping version 1/, error: /digest/ });
    const health = await call(served.url, '/health');
    t.equal(health.status, 200, 'still healthy');
    t.match(health.json, { model_version: '1' }, 'version 1 keeps serving');
    const p = await call(served.url, '/predict', predictBody);
    t.equal(p.status, 200);
    t.match(p.json, { model_version: '1' });
    served.child.kill('SIGTERM');
    t.equal((await served.exit).code, 0);
    reportFigures(t, 'tampering', {
      refused_at_start: 1,
      refused_on_reload: 1,
      served_tampered: 0,
    });
  },
);
