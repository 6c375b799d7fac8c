/**
 * Shared by the reliability tests: file snapshots (to prove nothing else changed), a load
 * loop that records every outcome, a raw HTTP response parser, and the figures each test
 * reports (printed as a TAP comment and, for the bench/ wrappers, appended as JSON lines
 * to IRISOPS_FIGURES_FILE).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { bin, cleanEnv, repoRoot } from '../helpers/cli.js';

interface Commenter {
  comment(...message: unknown[]): void;
}

/** Prints `figures <name> {json}` in the test output; the README quotes these. */
export function reportFigures(t: Commenter, name: string, figures: Record<string, unknown>): void {
  const line = JSON.stringify({ name, ...figures });
  t.comment(`figures ${line}`);
  const file = process.env.IRISOPS_FIGURES_FILE;
  if (file) appendFileSync(file, `${line}\n`);
}

/** A number from the environment (the bench/ wrappers set bigger ones), else the default. */
export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

/** Every file under dir, relative and '/'-separated, sorted. */
export function walkFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? walkFiles(path.join(dir, e.name), `${prefix}${e.name}/`)
        : [`${prefix}${e.name}`],
    )
    .sort();
}

/** relative path → sha256 of the bytes, for every file under dir (scratch excluded). */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of walkFiles(dir)) {
    if (f.startsWith('.irisops.trash/')) continue;
    out[f] = createHash('sha256')
      .update(readFileSync(path.join(dir, f)))
      .digest('hex');
  }
  return out;
}

export interface LoadEvent {
  /** performance.now() when the request was sent */
  sent: number;
  /** when it ended (answer read, or error) */
  ended: number;
  status: number | null;
  /** network error code when there was no answer */
  error: string | null;
  version: string | null;
}

/**
 * `clients` loops POSTing /predict over keep-alive connections until stop(). Every request
 * is one event: an HTTP status, or the network error that ended it.
 */
export function predictLoad(base: string, body: string, clients = 8) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const events: LoadEvent[] = [];
  let running = true;
  const one = () =>
    new Promise<LoadEvent>((resolve) => {
      const event: LoadEvent = {
        sent: performance.now(),
        ended: 0,
        status: null,
        error: null,
        version: null,
      };
      events.push(event);
      const done = (error: string | null) => {
        if (event.ended !== 0) return;
        event.ended = performance.now();
        event.error = error;
        resolve(event);
      };
      const req = http.request(
        `${base}/predict`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': body.length },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            event.status = res.statusCode ?? 0;
            if (res.statusCode === 200)
              event.version = (JSON.parse(text) as { model_version: string }).model_version;
            done(null);
          });
          res.on('error', (e: NodeJS.ErrnoException) => done(`response ${e.code ?? e.message}`));
        },
      );
      req.setTimeout(15_000, () => req.destroy(new Error('no answer in 15 s')));
      req.on('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
      req.end(body);
    });
  const loops = Array.from({ length: clients }, async () => {
    while (running) {
      // a refused connection would otherwise spin
      if ((await one()).error === 'ECONNREFUSED') await sleep(5);
    }
  });
  return {
    events,
    /** lets the loops finish the request each has under way */
    async stop(): Promise<LoadEvent[]> {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      return events;
    },
  };
}

/** status or error → count */
export function tally(events: LoadEvent[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of events) {
    const k = e.error ?? String(e.status);
    out[k] = (out[k] ?? 0) + 1;
  }
  return out;
}

export interface ServeChild {
  child: ChildProcessWithoutNullStreams;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * `irisops serve` on a free port, keeping all of stdout (the JSON log) and stderr; resolves
 * once it prints its URL, or rejects with what it printed if it exits first.
 */
export function startServe(
  t: { teardown(fn: () => void): void },
  args: string[],
  options: { cwd?: string; env?: Record<string, string | undefined> } = {},
): Promise<ServeChild> {
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', ...args], {
    cwd: options.cwd ?? repoRoot,
    env: cleanEnv(options.env),
    stdio: 'pipe',
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>(
    (resolve) =>
      child.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  t.teardown(() => {
    clearTimeout(killer);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return new Promise((resolve, reject) => {
    child.stderr.on('data', () => {
      const url = /listening on (http:\/\/\S+)/.exec(stderr)?.[1];
      if (url && /docs: /.test(stderr))
        resolve({ child, url, stdout: () => stdout, stderr: () => stderr, exit });
    });
    void exit.then(({ code }) =>
      reject(new Error(`serve exited with ${code} before listening:\n${stderr}`)),
    );
  });
}

/** The JSON log lines serve wrote to stdout. */
export function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Parses one HTTP/1.1 response as read off a socket (content-length or chunked). */
export function parseRawResponse(raw: string): RawResponse | null {
  // interim answers (100 Continue) come before the real one
  while (/^HTTP\/1\.[01] 1\d\d /.test(raw)) {
    const interim = raw.indexOf('\r\n\r\n');
    if (interim === -1) return null;
    raw = raw.slice(interim + 4);
  }
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) return null;
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? NaN);
  if (!Number.isFinite(status)) return null;
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let out = '';
    for (;;) {
      const nl = body.indexOf('\r\n');
      const size = parseInt(body.slice(0, nl), 16);
      if (!(size > 0)) break;
      out += body.slice(nl + 2, nl + 2 + size);
      body = body.slice(nl + 2 + size + 2);
    }
    body = out;
  } else if (headers['content-length'] !== undefined) {
    body = body.slice(0, Number(headers['content-length']));
  }
  return { status, headers, body };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(what: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (what()) return true;
    await sleep(20);
  }
  return what();
}
