import http from 'node:http';
import t from 'tap';
import { trainedStore } from '../helpers/fixtures.js';
import { call, SAMPLES, startTestServer, type Answer } from './helpers.js';

/** A /predict whose headers and first half of body are sent now, the rest on finish(). */
function halfSentPredict(base: string) {
  const body = JSON.stringify({ features: SAMPLES.virginica });
  const half = Math.floor(body.length / 2);
  let finish: () => void = () => undefined;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      `${base}/predict`,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: JSON.parse(text) as unknown,
          }),
        );
      },
    );
    req.on('error', reject);
    req.write(body.slice(0, half));
    req.flushHeaders();
    finish = () => req.end(body.slice(half));
  });
  return { answer, finish: () => finish() };
}

t.test(
  'shutdown: /health turns 503 while draining, in-flight requests all complete, then the port closes',
  async (t) => {
    const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
    const server = await startTestServer(t, store, { drainMs: 300, shutdownTimeoutMs: 5000 });
    const inFlight = Array.from({ length: 10 }, () => halfSentPredict(server.url));
    await new Promise((r) => setTimeout(r, 100));

    const stopped = server.shutdown('SIGTERM');
    const health = await call(server.url, '/health');
    t.equal(health.status, 503, 'draining: unhealthy');
    t.match(health.json, { status: 'unhealthy', draining: true, model_loaded: true });
    const during = await call(server.url, '/predict', {
      body: JSON.stringify({ features: SAMPLES.setosa }),
      headers: { 'content-type': 'application/json' },
    });
    t.equal(during.status, 200, 'requests sent during the drain are still served');

    await new Promise((r) => setTimeout(r, 400));
    for (const r of inFlight) r.finish();
    const answers = await Promise.all(inFlight.map((r) => r.answer));
    t.same(
      answers.map((a) => a.status),
      Array(10).fill(200),
      'every in-flight request completed',
    );
    t.ok(
      answers.every((a) => a.headers.connection === 'close'),
      'and was told to close its connection',
    );
    await stopped;
    await t.rejects(call(server.url, '/health'), { code: 'ECONNREFUSED' }, 'no longer accepting');
  },
);

t.test('shutdown timeout: a request that never finishes is cut at the deadline', async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const server = await startTestServer(t, store, { drainMs: 0, shutdownTimeoutMs: 300 });
  const stuck = halfSentPredict(server.url);
  stuck.answer.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  await server.shutdown('SIGTERM');
  t.ok(Date.now() - started < 1500, `stopped in ${Date.now() - started} ms`);
  t.ok(server.logs.some((l) => /shutdown timeout reached/.test(l.msg)));
});
