import { readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { trainedStore } from '../helpers/fixtures.js';
import { call, loadLoop, startTestServer, until } from './helpers.js';

function findFile(dir: string, name: string, under: string): string | null {
  for (const entry of readdirSync(dir)) {
    const p = path.join(dir, entry);
    if (statSync(p).isDirectory()) {
      const found = findFile(p, name, under);
      if (found) return found;
    } else if (entry === name && p.includes(under)) return p;
  }
  return null;
}

t.test(
  'promoting a new version while clients loop: zero failures, and the version switches',
  async (t) => {
    const { root, store } = await trainedStore(t, { versions: 3, alias: 'production' });
    await store.setAlias('iris_classifier', 'production', '1');
    const server = await startTestServer(t, store, { reloadIntervalMs: 100 });
    const loop = loadLoop(server.url);
    t.ok(await until(() => loop.versions.length > 50), 'requests flow');
    await store.setAlias('iris_classifier', 'production', '2');
    t.ok(await until(() => loop.versions.at(-1) === '2'), 'responses report version 2');
    const seenAfterSwitch = loop.versions.length;
    t.ok(await until(() => loop.versions.length > seenAfterSwitch + 50));

    // tampering: version 3's model file changes after it was registered
    const outcome = (await store.getModelVersion('iris_classifier', '3')).run_id ?? '';
    const file = findFile(root, 'model.json', outcome);
    t.ok(file, 'found version 3 model.json');
    const text = readFileSync(file as string, 'utf8');
    // still valid JSON and a valid model: only the digest can tell
    writeFileSync(file as string, `${text.trimEnd()} \n`);
    await store.setAlias('iris_classifier', 'production', '3');
    t.ok(
      await until(() => server.logs.some((l) => l.code === 'MODEL_DIGEST_MISMATCH')),
      'the refusal is logged with its reason',
    );
    const line = server.logs.find((l) => l.code === 'MODEL_DIGEST_MISMATCH');
    t.match(line, { level: 'error', msg: /keeping version 2/ });
    await new Promise((r) => setTimeout(r, 300));
    await loop.stop();

    t.same(loop.failures, [], 'no request failed');
    t.same(
      [...new Set(loop.versions)].sort(),
      ['1', '2'],
      'only promoted versions answered; the tampered one never did',
    );
    const health = await call(server.url, '/health');
    t.equal(
      (health.json as { model_version: string }).model_version,
      '2',
      'the last good model keeps serving',
    );
    const metrics = await call(server.url, '/metrics');
    t.match(metrics.text, /irisops_model_reloads_total\{result="failed"\} [1-9]/);
    t.match(metrics.text, /irisops_model_info\{name="iris_classifier",version="2"/);
  },
);
