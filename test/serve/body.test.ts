import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { ClientGoneError, readBodyThen } from '../../src/serve/body.js';
import { HttpProblem } from '../../src/serve/problem.js';
import { trainedStore } from '../helpers/fixtures.js';
import { postJson, SAMPLES, startTestServer, until } from './helpers.js';
import type { Teardown } from '../helpers/temp.js';

interface Outcome {
  error: Error | null;
  body: string;
  calls: number;
  /** a turn after the request's 'close': a late call back would have come by then */
  closed: boolean;
  listeners: { data: number; end: number; close: number; error: number };
}

/** A real server whose every request is read by readBodyThen; outcomes are kept in order. */
async function bodyServer(t: Teardown, limit: number) {
  const outcomes: Outcome[] = [];
  const server = http.createServer((req, res) => {
    const o: Outcome = {
      error: null,
      body: '',
      calls: 0,
      closed: false,
      listeners: { data: 0, end: 0, close: 0, error: 0 },
    };
    outcomes.push(o);
    readBodyThen(req, limit, (error, body) => {
      o.calls += 1;
      o.error = error;
      o.body = body.toString();
      for (const name of ['data', 'end', 'close', 'error'] as const)
        o.listeners[name] = req.listenerCount(name);
      if (!res.destroyed) res.end(error ? 'no' : 'ok');
    });
    req.on('close', () => setImmediate(() => (o.closed = true)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { port, outcomes };
}

function send(port: number, text: string, leave: boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(text);
      if (leave) socket.destroy();
    });
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString();
      if (answer.includes('\r\n\r\n')) socket.end();
    });
    socket.on('close', () => resolve(answer));
    socket.on('error', reject);
  });
}

t.test('a whole body is given once, and the close after it changes nothing', async (t) => {
  const { port, outcomes } = await bodyServer(t, 1024);
  const answer = await send(
    port,
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{"a":[1,2]}',
    false,
  );
  t.match(answer, /^HTTP\/1\.1 200/);
  await until(() => outcomes[0]?.closed === true);
  const o = outcomes[0] as Outcome;
  t.equal(o.calls, 1, 'called back once, even after the request closed');
  t.equal(o.error, null);
  t.equal(o.body, '{"a":[1,2]}');
  t.equal(o.listeners.error, 0, 'no error listener is added');
});

t.test('a client that leaves mid-body is told apart from a body', async (t) => {
  const { port, outcomes } = await bodyServer(t, 1024);
  await send(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\n{"fea', true);
  await until(() => outcomes[0]?.closed === true);
  const o = outcomes[0] as Outcome;
  t.equal(o.calls, 1, 'called back once');
  t.ok(o.error instanceof ClientGoneError, 'a ClientGoneError, not an uncaught request error');
  t.equal(o.body, '');
});

t.test('a body over the limit is refused once and its listeners are removed', async (t) => {
  const { port, outcomes } = await bodyServer(t, 8);
  // no content-length: the limit is found while reading
  const answer = await send(
    port,
    'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n0\r\n\r\n',
    false,
  );
  t.match(answer, /^HTTP\/1\.1 200/);
  await until(() => outcomes[0]?.calls === 1);
  const o = outcomes[0] as Outcome;
  t.ok(o.error instanceof HttpProblem && o.error.status === 413, '413');
  t.same(
    { data: o.listeners.data, end: o.listeners.end },
    { data: 0, end: 0 },
    'its own listeners are gone',
  );
});

t.test('the server logs a client that left before its body ended, and goes on', async (t) => {
  const { store } = await trainedStore(t, { versions: 1, alias: 'production' });
  const server = await startTestServer(t, store);
  await send(
    server.port,
    'POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 80\r\n\r\n{"features":',
    true,
  );
  t.ok(
    await until(() => server.logs.some((l) => l.msg === 'client left before its request was read')),
    'a debug line names it',
  );
  const left = server.logs.find((l) => l.msg === 'client left before its request was read');
  t.equal(left?.level, 'debug');
  t.equal(left?.path, '/predict');
  t.notOk(
    server.logs.some((l) => l.level === 'error'),
    'no error logged',
  );
  const answer = await postJson(server.url, '/predict', { features: SAMPLES.setosa });
  t.equal(answer.status, 200, 'the next request is answered');
});
