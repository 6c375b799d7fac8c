// Serving throughput: `irisops serve` /predict against a bare node:http server that parses
// the same JSON body and answers a fixed JSON object, at 32 connections, in alternating rounds.
// Measured as a user runs it: no CPU pinning, each server's stdout redirected to a file. Load
// comes from wrk (-t1) when it is installed, else from autocannon (in this process).
// Headline: default logging (info) vs bare; then --log-level silent vs bare, and beside it
// bench/essential-server.mjs (the same node:http doing only what irisops' behaviours need:
// validation, the forest, a request id, two metrics) vs bare and irisops vs it. Secondary: the
// info figure with the server pinned to CPU 0 and the load generator to CPU 1 (taskset).
// Beside them: /predict/batch and the Open Inference Protocol's V2 infer (one flower).
// Prints one JSON document. Run after `npm run build`:
//   node bench/serve.mjs [--duration 4] [--rounds 3] [--no-pinned] [--autocannon]
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import {
  arg,
  bin,
  flag,
  median,
  printResult,
  ratio,
  root,
  round,
  timed,
  withTempDir,
} from './lib.mjs';

const duration = arg('duration', 4);
const rounds = arg('rounds', 3);
const connections = 32;
const wantPinned = !flag('no-pinned');
const useWrk = !flag('autocannon') && spawnSync('wrk', ['--version']).error === undefined;
const canPin = os.cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;

const features = { sepal_length: 6.3, sepal_width: 3.3, petal_length: 6.0, petal_width: 2.5 };
const predictBody = JSON.stringify({ features });
// the same flower as one Open Inference Protocol [1, 4] tensor, for the V2 row
const v2Body = JSON.stringify({
  inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 4], data: Object.values(features) }],
});
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

/** Starts a node server, stdout to logFile, optionally on CPU 0; resolves once it listens. */
function start(args, logFile, pin, env = {}) {
  const [command, argv] = pin
    ? ['taskset', ['-c', '0', process.execPath, ...args]]
    : [process.execPath, args];
  const out = openSync(logFile, 'w');
  const child = spawn(command, argv, {
    env: { ...process.env, ...env },
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
      const url = /listening on (http:\/\/\S+)/.exec(err)?.[1];
      if (url) resolve({ child, url, logFile });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

function stop(server) {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

const ms = (text) => {
  const m = /([\d.]+)(us|ms|s)\b/.exec(text);
  if (!m) return null;
  const scale = { us: 0.001, ms: 1, s: 1000 }[m[2]];
  return Number(m[1]) * scale;
};

/** One wrk round: requests/s, p50/p99 latency (ms), errors (socket errors + non-2xx). */
function wrkRound(url, body, bodyFile, pin) {
  writeFileSync(
    bodyFile,
    `wrk.method = "POST"\nwrk.headers["content-type"] = "application/json"\nwrk.body = ${JSON.stringify(body)}\n`,
  );
  const args = ['-t1', `-c${connections}`, `-d${duration}s`, '--latency', '-s', bodyFile, url];
  const [command, argv] = pin ? ['taskset', ['-c', '1', 'wrk', ...args]] : ['wrk', args];
  const out = timed(command, argv).stdout;
  const line = (re) => re.exec(out)?.[1];
  const errors =
    Number(line(/Non-2xx or 3xx responses: (\d+)/) ?? 0) +
    (line(/Socket errors: ([^\n]+)/) ?? '')
      .split(',')
      .reduce((s, part) => s + Number(/(\d+)/.exec(part)?.[1] ?? 0), 0);
  return {
    requests: Number(line(/(\d+) requests in/) ?? 0),
    rps: Number(line(/Requests\/sec:\s+([\d.]+)/)),
    p50_ms: ms(line(/^\s+50%\s+(\S+)/m) ?? ''),
    p99_ms: ms(line(/^\s+99%\s+(\S+)/m) ?? ''),
    errors,
  };
}

async function autocannonRound(url, body, pin) {
  // pinning this process pins autocannon with it; undone after the round
  if (pin) spawnSync('taskset', ['-cp', '1', String(process.pid)], { stdio: 'ignore' });
  try {
    const r = await autocannon({
      url,
      connections,
      duration,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    return {
      requests: r.requests.total,
      rps: r.requests.average,
      p50_ms: r.latency.p50,
      p99_ms: r.latency.p99,
      errors: r.errors + r.non2xx,
    };
  } finally {
    if (pin)
      spawnSync('taskset', ['-cp', `0-${os.cpus().length - 1}`, String(process.pid)], {
        stdio: 'ignore',
      });
  }
}

/** CPU seconds a process has used so far, all its threads, user and system (from /proc). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime and stime are fields 14 and 15 of stat; after the command name they are 12 and 13
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

/** One round, with the server's CPU time per answered request (µs) beside it. */
async function measured(server, run) {
  const before = cpuSeconds(server.child.pid);
  const r = await run();
  const used = cpuSeconds(server.child.pid) - before;
  return { ...r, cpu_us_per_request: r.requests > 0 ? round((used * 1e6) / r.requests, 1) : null };
}

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: round(kb('VmRSS') / 1024), peak: round(kb('VmHWM') / 1024) };
}

const summary = (rs) => ({
  rps: Math.round(median(rs.map((x) => x.rps))),
  p50_ms: round(median(rs.map((x) => x.p50_ms)), 3),
  p99_ms: round(median(rs.map((x) => x.p99_ms)), 3),
  errors: rs.reduce((s, x) => s + x.errors, 0),
  cpu_us_per_request: round(median(rs.map((x) => x.cpu_us_per_request)), 1),
});

/** The model.json of the one run in the store (the essential server predicts with it). */
function modelFile(store) {
  for (const exp of readdirSync(store)) {
    const dir = path.join(store, exp);
    if (!statSync(dir).isDirectory()) continue;
    for (const run of readdirSync(dir)) {
      const file = path.join(dir, run, 'artifacts', 'model', 'model.json');
      if (existsSync(file)) return file;
    }
  }
  throw new Error(`no model.json in ${store}`);
}

/**
 * irisops serve (with extra args) against the bare server, alternating, `rounds` each; with
 * `essential`, also against bench/essential-server.mjs (what the behaviours alone cost).
 */
async function compare(dir, store, label, serveArgs, pin, essential = false) {
  const round1 = (url, body) =>
    useWrk ? wrkRound(url, body, path.join(dir, 'post.lua'), pin) : autocannonRound(url, body, pin);
  const irisops = await start(
    [bin, 'serve', '--tracking-uri', store, '--port', '0', ...serveArgs],
    path.join(dir, `serve-${label}.log`),
    pin,
    { NODE_ENV: 'production' },
  );
  const bare = await start(['-e', BARE], path.join(dir, `bare-${label}.log`), pin);
  const least = essential
    ? await start(
        [path.join(root, 'bench', 'essential-server.mjs'), modelFile(store)],
        path.join(dir, `essential-${label}.log`),
        pin,
      )
    : null;
  try {
    const predict = `${irisops.url}/predict`;
    // a short warm-up for both, so the JIT has settled before anything is measured
    await round1(predict, predictBody);
    await round1(bare.url, predictBody);
    if (least) await round1(least.url, predictBody);
    const samples = { irisops: [], bare: [], essential: [] };
    for (let r = 0; r < rounds; r++) {
      samples.bare.push(await measured(bare, () => round1(bare.url, predictBody)));
      if (least)
        samples.essential.push(await measured(least, () => round1(least.url, predictBody)));
      samples.irisops.push(await measured(irisops, () => round1(predict, predictBody)));
    }
    const i = summary(samples.irisops);
    const b = summary(samples.bare);
    const result = {
      label,
      serve_args: serveArgs,
      pinned: pin ? 'server on cpu 0, load generator on cpu 1' : false,
      ratio: ratio(i.rps, b.rps),
      round_ratios: samples.irisops.map((x, k) => ratio(x.rps, samples.bare[k].rps)),
      // the server's own CPU per request: steadier than requests/s when wrk and the server
      // share the cores, and what the throughput ratio comes to once the server is the limit
      cpu_ratio: ratio(b.cpu_us_per_request, i.cpu_us_per_request),
      irisops: {
        ...i,
        rss_mb: rssMb(irisops.child.pid).rss,
        rss_peak_mb: rssMb(irisops.child.pid).peak,
      },
      bare: b,
      irisops_log_bytes: statSync(irisops.logFile).size,
    };
    if (least) {
      const e = summary(samples.essential);
      result.essential = {
        ...e,
        vs_bare: ratio(e.rps, b.rps),
        cpu_vs_bare: ratio(b.cpu_us_per_request, e.cpu_us_per_request),
      };
      result.vs_essential = ratio(i.rps, e.rps);
      result.round_ratios_vs_essential = samples.irisops.map((x, k) =>
        ratio(x.rps, samples.essential[k].rps),
      );
      result.cpu_ratio_vs_essential = ratio(e.cpu_us_per_request, i.cpu_us_per_request);
    }
    if (label === 'info') {
      const batch = await round1(`${irisops.url}/predict/batch`, batchBody);
      result.batch = {
        size: 100,
        rps: Math.round(batch.rps),
        predictions_per_s: Math.round(batch.rps * 100),
        p99_ms: batch.p99_ms,
        errors: batch.errors,
      };
      const v2 = await round1(`${irisops.url}/v2/models/iris_classifier/infer`, v2Body);
      result.v2_infer = {
        rps: Math.round(v2.rps),
        vs_predict: ratio(v2.rps, i.rps),
        p99_ms: v2.p99_ms,
        errors: v2.errors,
      };
    }
    return result;
  } finally {
    await Promise.all([stop(irisops), stop(bare), ...(least ? [stop(least)] : [])]);
  }
}

export async function benchServe() {
  return withTempDir('irisops-bench-serve-', async (dir) => {
    const store = path.join(dir, 'mlruns');
    timed(process.execPath, [bin, 'train', '--tracking-uri', store, '--quiet'], {
      env: { ...process.env, NODE_ENV: 'production' },
    });
    const info = await compare(dir, store, 'info', [], false);
    const silent = await compare(dir, store, 'silent', ['--log-level', 'silent'], false, true);
    const pinned = wantPinned && canPin ? await compare(dir, store, 'info-pinned', [], true) : null;
    return {
      bench: 'serve',
      node: process.version,
      load_generator: useWrk ? 'wrk -t1' : 'autocannon',
      connections,
      duration_s: duration,
      rounds,
      stdout: 'redirected to a file',
      headline: {
        info_vs_bare: info.ratio,
        silent_vs_bare: silent.ratio,
        // the same node:http doing only validation, the forest, a request id and two metrics
        essential_vs_bare: silent.essential.vs_bare,
        silent_vs_essential: silent.vs_essential,
      },
      goal: { info_vs_bare: 0.85, silent_vs_bare: 0.92, p99_ms: 5, rss_mb: 120 },
      info,
      silent,
      pinned_secondary:
        pinned ?? (wantPinned ? 'taskset unavailable or one CPU' : 'skipped (--no-pinned)'),
    };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) printResult(await benchServe());
