import net from 'node:net';
import t from 'tap';
import { trainedStore } from '../helpers/fixtures.js';
import { call, postJson, SAMPLES, startTestServer } from './helpers.js';

const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
const server = await startTestServer(t, store, {
  timeouts: {
    headersMs: 500,
    requestMs: 1000,
    keepAliveMs: 500,
    socketIdleMs: 2000,
    checkIntervalMs: 100,
  },
});

function openSocket(): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
  });
}

/** Resolves with what the server sent and how long it kept the socket. */
function watch(socket: net.Socket): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  let text = '';
  socket.on('data', (c: Buffer) => (text += c.toString()));
  return new Promise((resolve) =>
    socket.on('close', () => resolve({ text, ms: Date.now() - started })),
  );
}

t.test('slow and abusive clients are cut off by timeouts while others are served', async (t) => {
  // slowloris: one header byte every 100 ms, never finishing
  const loris = await openSocket();
  const lorisDone = watch(loris);
  loris.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
  const drip = setInterval(() => loris.writable && loris.write('a'), 100);

  // a body that never finishes
  const stalled = await openSocket();
  const stalledDone = watch(stalled);
  stalled.write(
    'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"features":',
  );

  // idle connections that never send anything
  const idle = await Promise.all(Array.from({ length: 200 }, openSocket));
  const idleDone = idle.map(watch);

  // a client that leaves in the middle of its request
  const leaver = await openSocket();
  leaver.write('POST /predict HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"fea');
  leaver.destroy();

  const latencies: number[] = [];
  for (let i = 0; i < 100; i++) {
    const started = performance.now();
    const a = await postJson(server.url, '/predict', { features: SAMPLES.setosa });
    latencies.push(performance.now() - started);
    t.equal(a.status, 200);
  }
  latencies.sort((a, b) => a - b);
  const p99 = latencies[98] as number;
  t.ok(p99 < 50, `a concurrent client's p99 is ${p99.toFixed(2)} ms`);

  const l = await lorisDone;
  clearInterval(drip);
  t.ok(l.ms < 3000, `slowloris cut after ${l.ms} ms`);
  t.match(l.text, /^HTTP\/1\.1 408 /);
  t.match(l.text, /application\/problem\+json/);
  const s = await stalledDone;
  t.ok(s.ms < 3000, `unfinished body cut after ${s.ms} ms`);
  t.match(s.text, /^HTTP\/1\.1 408 /);
  const idles = await Promise.all(idleDone);
  t.ok(
    idles.every((i) => i.ms < 3000),
    'idle connections closed',
  );
  t.equal((await call(server.url, '/health')).status, 200, 'still healthy');
});
