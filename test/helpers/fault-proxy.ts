/**
 * A loopback HTTP server that answers from a queue of scripted faults (status, dropped
 * connection, stall), then forwards to a target server or answers `{}`. Each request it
 * sees is recorded, so a test can count retries and read the headers the client sent.
 */
import http from 'node:http';

export type Fault =
  | { status: number; headers?: Record<string, string>; body?: string }
  | { drop: true }
  | { stall: true };

export interface SeenRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

export interface FaultProxy {
  url: string;
  faults: Fault[];
  seen: SeenRequest[];
  close(): Promise<void>;
}

interface TapLike {
  teardown(fn: () => unknown): void;
}

function forward(
  target: URL,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  body: Buffer,
): void {
  const upstream = http.request(
    {
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: { ...req.headers, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => res.destroy());
  upstream.end(body);
}

export async function startFaultProxy(t: TapLike, target?: string): Promise<FaultProxy> {
  const faults: Fault[] = [];
  const seen: SeenRequest[] = [];
  const targetUrl = target === undefined ? undefined : new URL(target);
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      const fault = faults.shift();
      if (fault !== undefined && 'drop' in fault) {
        req.socket.destroy();
        return;
      }
      if (fault !== undefined && 'stall' in fault) return;
      if (fault !== undefined) {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(fault.body ?? '');
        return;
      }
      if (targetUrl !== undefined) {
        forward(targetUrl, req, res, Buffer.concat(chunks));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.teardown(close);
  return { url: `http://127.0.0.1:${port}`, faults, seen, close };
}
