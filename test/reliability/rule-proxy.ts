/**
 * A loopback proxy in front of a real server that injects faults by rule: each rule matches
 * requests (method + path) and applies its fault to the next `times` of them (or all), so a
 * test can say "fail every runs/log-batch from now on" or "drop the answer of the first
 * model-versions/create after the server has done it". Every fault applied is counted.
 */
import http from 'node:http';

export type RuleFault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  /** the connection is cut before the request reaches the server */
  | { kind: 'drop' }
  /** the server does the work, then the connection is cut before its answer */
  | { kind: 'drop-answer' }
  /** nothing happens for ms, then the connection is cut */
  | { kind: 'stall'; ms: number };

export interface Rule {
  match: RegExp;
  method?: string;
  fault: RuleFault;
  /** how many matching requests get the fault; undefined: all of them */
  times?: number;
}

export interface RuleProxy {
  url: string;
  rules: Rule[];
  seen: string[];
  injected: Record<string, number>;
}

export async function startRuleProxy(
  t: { teardown(fn: () => unknown): void },
  target: string,
): Promise<RuleProxy> {
  const to = new URL(target);
  const rules: Rule[] = [];
  const seen: string[] = [];
  const injected: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const line = `${req.method ?? ''} ${req.url ?? ''}`;
      seen.push(line);
      const rule = rules.find(
        (r) =>
          (r.times === undefined || r.times > 0) &&
          (r.method === undefined || r.method === req.method) &&
          r.match.test(req.url ?? ''),
      );
      if (rule?.times !== undefined) rule.times--;
      const fault = rule?.fault;
      if (fault) injected[fault.kind] = (injected[fault.kind] ?? 0) + 1;
      if (fault?.kind === 'drop') return req.socket.destroy();
      if (fault?.kind === 'stall') {
        const timer = setTimeout(() => {
          timers.delete(timer);
          req.socket.destroy();
        }, fault.ms);
        timers.add(timer);
        return;
      }
      if (fault?.kind === 'status') {
        res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers });
        res.end(JSON.stringify({ error_code: 'INJECTED', message: `injected ${fault.status}` }));
        return;
      }
      const upstream = http.request(
        {
          host: to.hostname,
          port: to.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: to.host },
        },
        (answer) => {
          if (fault?.kind === 'drop-answer') {
            answer.resume();
            answer.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  t.teardown(
    () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url: `http://127.0.0.1:${port}`, rules, seen, injected };
}
