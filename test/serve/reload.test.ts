import { readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import t from 'tap';
import { trainedStore } from '../helpers/fixtures.js';
import { call, postJson, SAMPLES, startTestServer } from './helpers.js';

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

/** Clients sending /predict in a loop over keep-alive connections until stopped. */
function loadLoop(base: string, clients = 4) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const versions: string[] = [];
  const failures: string[] = [];
  let running = true;
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      try {
        const a = await postJson(base, '/predict', { features: SAMPLES.versicolor }, agent);
        if (a.status === 200) versions.push((a.json as { model_version: string }).model_version);
        else failures.push(`${a.status} ${a.text}`);
      } catch (error) {
        failures.push(String(error));
      }
    }
  });
  return {
    versions,
    failures,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}

async function until(what: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return what();
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
