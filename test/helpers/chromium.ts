/**
 * Opens a page in the machine's headless Chromium and reports what its console said,
 * through the DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out, messages
 * ended by NUL): no browser download and no npm dependency.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';

export const CHROMIUM = process.env.IRISOPS_CHROMIUM ?? '/usr/bin/chromium';

export function hasChromium(): boolean {
  return existsSync(CHROMIUM);
}

export interface PageVisit {
  /** console errors, uncaught exceptions and failed loads, one line each */
  errors: string[];
  /** document.title after load */
  title: string;
  /** the number of elements matching the selector asked for */
  count: number;
  /** PNG bytes of the page, when asked for */
  screenshot?: Buffer;
}

type Message = {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: unknown;
};

/** a field deep inside a protocol message, or undefined */
function dig(value: unknown, ...keys: string[]): unknown {
  let v = value;
  for (const key of keys)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

export async function visitPage(
  url: string,
  { selector = 'body', screenshot = false, timeoutMs = 30_000 } = {},
): Promise<PageVisit> {
  const profile = mkdtempSync(path.join(tmpdir(), 'irisops-chromium-'));
  const child = spawn(
    CHROMIUM,
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--remote-debugging-pipe',
      `--user-data-dir=${profile}`,
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const input = child.stdio[3] as Writable;
  const output = child.stdio[4] as Readable;
  const pending = new Map<number, (m: Message) => void>();
  const listeners: ((m: Message) => void)[] = [];
  let buffer = '';
  output.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end: number;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const m = JSON.parse(buffer.slice(0, end)) as Message;
      buffer = buffer.slice(end + 1);
      if (m.id !== undefined) pending.get(m.id)?.(m);
      else listeners.forEach((l) => l(m));
    }
  });
  let next = 0;
  const send = (method: string, params: object = {}, sessionId?: string): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = ++next;
      pending.set(id, (m) =>
        m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result),
      );
      input.write(`${JSON.stringify({ id, method, params, sessionId })}\0`);
    });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    const targetId = dig(await send('Target.createTarget', { url: 'about:blank' }), 'targetId');
    const sessionId = dig(
      await send('Target.attachToTarget', { targetId, flatten: true }),
      'sessionId',
    ) as string;
    const errors: string[] = [];
    let loaded: () => void = () => {};
    const load = new Promise<void>((r) => (loaded = r));
    listeners.push((m) => {
      const p = m.params;
      if (m.method === 'Runtime.exceptionThrown')
        errors.push(
          `exception: ${String(dig(p, 'exceptionDetails', 'exception', 'description') ?? dig(p, 'exceptionDetails', 'text'))}`,
        );
      const type = String(dig(p, 'type'));
      if (m.method === 'Runtime.consoleAPICalled' && ['error', 'assert'].includes(type))
        errors.push(`console.${type}: ${JSON.stringify(dig(p, 'args'))}`);
      if (m.method === 'Log.entryAdded' && dig(p, 'entry', 'level') === 'error')
        errors.push(
          `log: ${String(dig(p, 'entry', 'text'))} ${String(dig(p, 'entry', 'url') ?? '')}`,
        );
      if (m.method === 'Page.loadEventFired') loaded();
    });
    for (const domain of ['Runtime.enable', 'Log.enable', 'Page.enable'])
      await send(domain, {}, sessionId);
    await send('Page.navigate', { url }, sessionId);
    await load;
    // late errors (a script run after load) get a moment to arrive
    await new Promise((r) => setTimeout(r, 300));
    const evaluate = async (expression: string) =>
      dig(
        await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId),
        'result',
        'value',
      );
    const title = (await evaluate('document.title')) as string;
    const count = (await evaluate(
      `document.querySelectorAll(${JSON.stringify(selector)}).length`,
    )) as number;
    const shot = screenshot
      ? Buffer.from(
          String(
            dig(
              await send(
                'Page.captureScreenshot',
                { format: 'png', captureBeyondViewport: true },
                sessionId,
              ),
              'data',
            ),
          ),
          'base64',
        )
      : undefined;
    await send('Browser.close').catch(() => undefined);
    return { errors, title, count, ...(shot ? { screenshot: shot } : {}) };
  } finally {
    clearTimeout(timer);
    // the browser writes its profile until it has exited: wait before removing the folder
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}

/**
 * The DOM of a page once it has settled: headless Chromium's --dump-dom after a virtual-time
 * budget, which advances only while no request is pending, so a single-page app (MLflow's UI)
 * has fetched and rendered its data. Null when the browser failed.
 */
export function dumpDom(url: string, budgetMs = 20_000): string | null {
  const profile = mkdtempSync(path.join(tmpdir(), 'irisops-chromium-'));
  try {
    const result = spawnSync(
      CHROMIUM,
      [
        '--headless=new',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--window-size=1400,900',
        `--virtual-time-budget=${budgetMs}`,
        '--dump-dom',
        url,
      ],
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return result.status === 0 ? result.stdout : null;
  } finally {
    rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
  }
}
