import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { createJsonLogger, isLogLevel, requestLine } from '../../src/serve/logger.js';
import { bin, cleanEnv, repoRoot } from '../helpers/cli.js';
import { tempDir, trainedStore } from '../helpers/fixtures.js';
import { postJson, SAMPLES } from './helpers.js';

const lines = (text: string) =>
  text
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

t.test('a log line is one JSON object: time, level, msg and the fields', async (t) => {
  let text = '';
  const logger = createJsonLogger({ write: (s: string) => (text += s) }, 'info', () => 0);
  logger.log('debug', 'not at info');
  logger.log('warn', 'model reload failed', { hint: 'irisops train' });
  logger.request('info', {
    request_id: 'r-1',
    method: 'POST',
    path: '/predict',
    status: 200,
    latency_ms: 0.25,
    model_version: null,
  });
  logger.flush();
  t.same(lines(text), [
    {
      level: 'warn',
      time: '1970-01-01T00:00:00.000Z',
      msg: 'model reload failed',
      hint: 'irisops train',
    },
    {
      level: 'info',
      time: '1970-01-01T00:00:00.000Z',
      msg: 'request',
      request_id: 'r-1',
      method: 'POST',
      path: '/predict',
      status: 200,
      latency_ms: 0.25,
      model_version: null,
    },
  ]);
  t.equal(logger.enabled('debug'), false);
  t.equal(logger.enabled('error'), true);
  t.ok(isLogLevel('silent') && !isLogLevel('trace'));
});

t.test('the hand-built request line is the bytes pino writes for the same record', async (t) => {
  const time = ',"time":"2026-12-07T04:00:00.000Z"';
  let viaPino = '';
  const reference = pino(
    {
      level: 'info',
      base: null,
      messageKey: 'msg',
      formatters: { level: (label) => ({ level: label }) },
      timestamp: () => time,
    },
    { write: (s: string) => void (viaPino += s) },
  );
  const paths = [
    '/predict',
    '/p"a\\th',
    '/\u00e9t\u00e9/\u{1F33C}',
    '/tab\there',
    '/\u0001\u007f\u2028',
  ];
  for (const [i, p] of paths.entries()) {
    const r = {
      request_id: `id-${i}`,
      method: i % 2 ? 'GET' : 'POST',
      path: p,
      status: i === 3 ? 500 : 200,
      latency_ms: [0.25, 12, 0.001, 1234.567, 0][i] as number,
      model_version: i === 2 ? null : String(i + 1),
    };
    const level = r.status >= 500 ? 'error' : 'info';
    viaPino = '';
    reference[level](r, 'request');
    t.equal(requestLine(level, time, r), viaPino, p);
  }
});

t.test("on a file descriptor a quiet server's lines reach the file without a flush", async (t) => {
  const file = path.join(tempDir(t), 'quiet.jsonl');
  const fd = openSync(file, 'w');
  t.teardown(() => closeSync(fd));
  const logger = createJsonLogger({ write: () => t.fail('the fd is written'), fd }, 'info');
  logger.request('info', {
    request_id: 'q-1',
    method: 'POST',
    path: '/predict',
    status: 200,
    latency_ms: 1,
    model_version: '1',
  });
  let text = '';
  for (let i = 0; i < 40 && !text; i++) {
    await new Promise((r) => setTimeout(r, 50));
    text = readFileSync(file, 'utf8');
  }
  t.match(lines(text), [{ msg: 'request', request_id: 'q-1' }], 'written by the periodic flush');
});

t.test('silent writes nothing', async (t) => {
  let text = '';
  const logger = createJsonLogger({ write: (s: string) => (text += s) }, 'silent');
  logger.log('error', 'x');
  logger.flush();
  t.equal(text, '');
  t.equal(logger.enabled('error'), false);
});

t.test(
  'on a file descriptor lines are buffered, and flush() writes them all at once',
  async (t) => {
    const file = path.join(tempDir(t), 'log.jsonl');
    const fd = openSync(file, 'w');
    t.teardown(() => closeSync(fd));
    const logger = createJsonLogger(
      { write: () => t.fail('the fd is written, not the stream'), fd },
      'info',
    );
    await new Promise((r) => setTimeout(r, 50)); // the destination opens asynchronously
    for (let i = 0; i < 500; i++) logger.log('info', 'line', { i });
    logger.flush();
    const read = lines(readFileSync(file, 'utf8'));
    t.equal(read.length, 500, 'nothing is left in the buffer after flush');
    t.match(read[499], { msg: 'line', i: 499 });
  },
);

t.test('SIGTERM loses no request line: serve with stdout to a file', async (t) => {
  const { root } = await trainedStore(t, { versions: 1 });
  const file = path.join(tempDir(t), 'serve.log');
  const out = openSync(file, 'w');
  const args = ['serve', '--port', '0', '--tracking-uri', root, '--log-level', 'info'];
  const child = spawn(process.execPath, [bin, ...args], {
    cwd: repoRoot,
    env: cleanEnv(),
    stdio: ['ignore', out, 'pipe'],
  });
  t.teardown(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  closeSync(out);
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const u = /listening on (http:\/\/\S+)/.exec(err)?.[1];
      if (u) resolve(u);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const n = 200;
  const answers = await Promise.all(
    Array.from({ length: n }, () => postJson(url, '/predict', { features: SAMPLES.setosa })),
  );
  t.ok(answers.every((a) => a.status === 200));
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await exited;
  const read = lines(readFileSync(file, 'utf8'));
  t.equal(read.filter((l) => l.msg === 'request' && l.path === '/predict').length, n);
  // the last async write and the synchronous flush at shutdown can land in either order
  t.match(
    read.find((l) => l.msg === 'stopped'),
    { level: 'info', msg: 'stopped', reason: 'SIGTERM' },
  );
  t.match(read[0], { msg: 'model loaded', model_version: '1', time: /^\d{4}-\d\d-\d\dT/ });
});
