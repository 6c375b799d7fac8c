// A store of many runs, made quickly for the benches: one real `irisops train`, then its run
// folder copied with new run ids (meta.yaml rewritten: run_id, run_uuid, artifact_uri,
// start/end time; a distinct accuracy so sorting means something; every other file
// hard-linked), as MLflow's layout allows.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bin, round, timed } from './lib.mjs';

/** Hard-links every file of src into dst, except those named in skip (relative paths). */
function linkTree(src, dst, skip, rel = '') {
  mkdirSync(dst, { recursive: true });
  for (const name of readdirSync(src)) {
    const r = rel ? `${rel}/${name}` : name;
    if (skip.has(r)) continue;
    const from = path.join(src, name);
    const to = path.join(dst, name);
    if (statSync(from).isDirectory()) linkTree(from, to, skip, r);
    else linkSync(from, to);
  }
}

/** count runs in one experiment of the store folder; returns its id and name, and the copy time. */
export function makeStore(store, count) {
  const trained = timed(process.execPath, [bin, 'train', '--tracking-uri', store, '--json'], {
    env: { ...process.env, NODE_ENV: 'production' },
  });
  const run = JSON.parse(trained.stdout);
  const runId = run.run_id;
  const expDir = path.join(store, run.experiment_id);
  const source = path.join(expDir, runId);
  const meta = readFileSync(path.join(source, 'meta.yaml'), 'utf8');
  const start = Number(/^start_time: (\d+)$/m.exec(meta)?.[1]);
  const [ts, , step] = readFileSync(path.join(source, 'metrics/accuracy'), 'utf8')
    .trim()
    .split(' ');
  const skip = new Set(['meta.yaml', 'metrics/accuracy']);
  const t0 = performance.now();
  for (let i = 1; i < count; i++) {
    const id = randomBytes(16).toString('hex');
    const dir = path.join(expDir, id);
    linkTree(source, dir, skip);
    const began = start - i * 1000;
    writeFileSync(
      path.join(dir, 'meta.yaml'),
      meta
        .replaceAll(runId, id)
        .replace(/^start_time: \d+$/m, `start_time: ${began}`)
        .replace(/^end_time: \d+$/m, `end_time: ${began + 800}`),
    );
    writeFileSync(
      path.join(dir, 'metrics/accuracy'),
      `${ts} ${((i * 7919) % 1000) / 1000} ${step}\n`,
    );
  }
  return {
    experimentId: run.experiment_id,
    experiment: /^name: (.+)$/m.exec(readFileSync(path.join(expDir, 'meta.yaml'), 'utf8'))?.[1],
    copySeconds: round((performance.now() - t0) / 1000, 2),
  };
}
