import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { pino } from 'pino';
import { createJsonLogger, isLogLevel, requestLine } from '../../src/serve/logger.js';
import { bin, cleanEnv, repoRoot } from '../helpers/cli.js';
import { tempDir, trainedStore } from '../helpers/fixtures.js';
import { serveProcess } from '../helpers/serve-process.js';
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

t.test('on a file descriptor settle() writes every line, in the order logged', async (t) => {
  const file = path.join(tempDir(t), 'log.jsonl');
  const fd = openSync(file, 'w');
  t.teardown(() => closeSync(fd));
  const logger = createJsonLogger(
    { write: () => t.fail('the fd is written, not the stream'), fd },
    'info',
  );
  // many batches, one still being written when settle() is called: a synchronous flush
  // used to write the later lines first
  for (let i = 0; i < 5000; i++) logger.log('info', 'line', { i });
  t.equal(await logger.settle(10_000), true, 'settled');
  const read = lines(readFileSync(file, 'utf8'));
  t.equal(read.length, 5000, 'nothing is left in the buffer');
  t.ok(
    read.every((line, i) => line.i === i),
    'the lines are in the order they were logged',
  );
  await logger.settle(10_000);
  logger.log('info', 'after');
  logger.flush();
  t.match(lines(readFileSync(file, 'utf8')).at(-1), { msg: 'after' }, 'flush() writes at once');
});

/**
 * Giving up destroys the destination, which closes its fd (not stdout's): only the reader is
 * left to close, and then sonic-boom's retry of the refused write (every 100 ms) ends.
 */
async function closeReader(reader: number) {
  closeSync(reader);
  await new Promise((r) => setTimeout(r, 250));
}

t.test('settle() returns when the reader of the log is gone (EPIPE)', async (t) => {
  const fifo = path.join(tempDir(t), 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  t.teardown(() => closeSync(fd));
  closeSync(reader);
  const logger = createJsonLogger({ write: () => t.fail('the fd is written'), fd }, 'info');
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 1000; i++) logger.log('info', 'line', { i });
    await logger.settle(10_000);
  }
  logger.flush();
  t.pass('settled twice and flushed after EPIPE, and the process did not crash');
});

t.test('settle() gives up on a reader that stops reading, and drops the rest', async (t) => {
  const fifo = path.join(tempDir(t), 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const logger = createJsonLogger({ write: () => t.fail('the fd is written'), fd }, 'info');
  // about 1.3 MB: far more than a pipe holds
  for (let i = 0; i < 10_000; i++) logger.log('info', 'line', { i, pad: 'x'.repeat(64) });
  t.equal(await logger.settle(300), false, 'not settled');
  logger.log('info', 'after giving up');
  t.equal(await logger.settle(300), true, 'nothing more is waited for');
  t.ok(logger.droppedBytes() > 0, 'what is logged after giving up is counted as dropped');
  await closeReader(reader);
});

t.test('a log given up on leaves nothing behind that keeps the process alive', async (t) => {
  // A child process logs to its stdout, far more than a pipe holds, for a reader that never
  // reads; it gives up and returns, and must then end by itself (no exit call), with no
  // refused write still retried (stdout is never closed, so only the retry could hold it).
  const fifo = path.join(tempDir(t), 'log.fifo');
  execFileSync('mkfifo', [fifo]);
  const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
  t.teardown(() => closeSync(reader));
  const out = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  const logger = path.join(repoRoot, 'dist/serve/logger.js');
  const script = [
    `const { createJsonLogger } = await import(${JSON.stringify(logger)});`,
    `const log = createJsonLogger({ write: () => undefined, fd: 1 }, 'info');`,
    `for (let i = 0; i < 10000; i++) log.log('info', 'line', { i, pad: 'x'.repeat(64) });`,
    `console.error(await log.settle(300) ? 'settled' : 'gave up');`,
  ].join('\n');
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    stdio: ['ignore', out, 'pipe'],
  });
  closeSync(out);
  let said = '';
  child.stderr?.on('data', (d: Buffer) => (said += d.toString()));
  // a generous bound: only a process that never ends reaches it
  const killer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) =>
    child.on('exit', (c, s) => resolve([c, s])),
  );
  clearTimeout(killer);
  t.equal(said.trim(), 'gave up');
  t.same([code, signal], [0, null], 'ended by itself');
});

t.test(
  'a reader that stops reading holds at most the bound; past it, lines are dropped',
  async (t) => {
    const fifo = path.join(tempDir(t), 'log.fifo');
    execFileSync('mkfifo', [fifo]);
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    const fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    const bound = 256 * 1024;
    const logger = createJsonLogger(
      { write: () => t.fail('the fd is written'), fd },
      'info',
      Date.now,
      bound,
    );
    const line = { pad: 'x'.repeat(1000) };
    // 4 MB logged, and let the batches reach the destination
    for (let i = 0; i < 4000; i++) logger.log('info', 'line', line);
    await new Promise((r) => setTimeout(r, 250));
    // a pipe holds 64 KB; the rest beyond the bound is gone, not held
    t.ok(
      logger.droppedBytes() > 4_000_000 - bound - 1024 * 1024,
      `dropped ${logger.droppedBytes()} bytes`,
    );
    t.equal(await logger.settle(100), false);
    await closeReader(reader);
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
  t.match(read.at(-1), { level: 'info', msg: 'stopped', reason: 'SIGTERM' }, 'the last line');
  t.match(read[0], { msg: 'model loaded', model_version: '1', time: /^\d{4}-\d\d-\d\dT/ });
});

t.test('a log reader that stops reading does not keep a stopped server alive', async (t) => {
  const { root } = await trainedStore(t, { versions: 1 });
  const args = ['--tracking-uri', root, '--log-level', 'info', '--shutdown-timeout', '1'];
  const s = await serveProcess(t, args, { readStdout: false });
  // far more lines than the pipe and the reader's buffer hold
  for (let round = 0; round < 60; round++)
    await Promise.all(
      Array.from({ length: 50 }, () => postJson(s.url, '/predict', { features: SAMPLES.setosa })),
    );
  s.child.kill('SIGTERM');
  t.same(await s.exit, { code: 0, signal: null }, 'exits, with the log unread');
});
