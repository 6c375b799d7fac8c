// Serving throughput and latency: `irisops serve` against a bare node:http server that
// parses the same JSON body and answers a fixed JSON object, both loaded by autocannon at
// 32 connections in alternating runs. Prints one JSON line. Run after `npm run build`:
//   node bench/serve.mjs [--duration 5] [--rounds 2]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

const root = fileURLToPath(new URL('../', import.meta.url));
const bin = path.join(root, 'bin/irisops.js');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : Number(process.argv[i + 1]);
};
const duration = arg('duration', 4);
const rounds = arg('rounds', 2);
const connections = 32;

const features = { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 };
const predictBody = JSON.stringify({ features });
const batchBody = JSON.stringify({
  instances: Array.from({ length: 100 }, (_, i) => ({ ...features, petal_length: (i % 70) / 10 })),
});

const BARE = `
const http = require('node:http');
const answer = JSON.stringify({ prediction: 2, prediction_label: 'virginica', confidence: 1.0, model_version: '1', probabilities: { setosa: 0, versicolor: 0, virginica: 1 } });
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    JSON.parse(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
    res.end(answer);
  });
}).listen(0, '127.0.0.1', function () { process.stderr.write('listening on http://127.0.0.1:' + this.address().port + '\\n'); });
`;

// On a small machine the load generator and the server fight for the same cores, and the
// figures swing with the scheduler. Where taskset exists, each server gets CPU 0 and this
// process (autocannon) CPU 1: both servers are measured under the same split.
const pinned =
  os.cpus().length >= 2 &&
  spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' }).status === 0;

function start(args, env = {}) {
  const [command, argv] = pinned
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

function load(url, body) {
  return autocannon({
    url,
    connections,
    duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 102.4) / 10, peak: Math.round(kb('VmHWM') / 102.4) / 10 };
}

const dir = mkdtempSync(path.join(tmpdir(), 'irisops-bench-'));
try {
  const store = path.join(dir, 'mlruns');
  const trained = spawnSync(process.execPath, [bin, 'train', '--tracking-uri', store, '--quiet'], {
    encoding: 'utf8',
  });
  if (trained.status !== 0) throw new Error(`train failed: ${trained.stderr}`);
  const irisops = await start(
    [
      bin,
      'serve',
      '--tracking-uri',
      store,
      '--port',
      '0',
      ...(process.env.BENCH_SERVE_ARGS ?? '').split(' ').filter(Boolean),
    ],
    { NODE_ENV: 'production' },
  );
  const bare = await start(['-e', BARE]);
  try {
    // warm both up so the JIT has settled before anything is measured
    await Promise.all(
      [load(`${irisops.url}/predict`, predictBody), load(bare.url, predictBody)].map((p) => p),
    ).catch(() => undefined);
    const runs = { irisops: [], bare: [] };
    for (let r = 0; r < rounds; r++) {
      runs.bare.push(await load(bare.url, predictBody));
      runs.irisops.push(await load(`${irisops.url}/predict`, predictBody));
    }
    const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const summary = (rs) => ({
      rps: Math.round(mean(rs.map((x) => x.requests.average))),
      p50_ms: mean(rs.map((x) => x.latency.p50)),
      p99_ms: mean(rs.map((x) => x.latency.p99)),
      errors: rs.reduce((s, x) => s + x.errors + x.non2xx, 0),
    });
    const batch = await load(`${irisops.url}/predict/batch`, batchBody);
    const i = summary(runs.irisops);
    const b = summary(runs.bare);
    const mem = rssMb(irisops.child.pid);
    process.stdout.write(
      `${JSON.stringify({
        bench: 'serve',
        node: process.version,
        connections,
        duration_s: duration,
        rounds,
        pinned: pinned ? 'server on cpu 0, load generator on cpu 1' : false,
        irisops_rps: i.rps,
        bare_rps: b.rps,
        ratio: Math.round((i.rps / b.rps) * 1000) / 1000,
        irisops_p50_ms: i.p50_ms,
        irisops_p99_ms: i.p99_ms,
        bare_p50_ms: b.p50_ms,
        bare_p99_ms: b.p99_ms,
        irisops_errors: i.errors,
        rss_mb: mem.rss,
        rss_peak_mb: mem.peak,
        batch_size: 100,
        batch_rps: Math.round(batch.requests.average),
        batch_predictions_per_s: Math.round(batch.requests.average * 100),
        batch_p99_ms: batch.latency.p99,
        batch_errors: batch.errors + batch.non2xx,
      })}\n`,
    );
  } finally {
    irisops.child.kill('SIGTERM');
    bare.child.kill('SIGTERM');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
