// The web UI at scale: `irisops ui` over a local store of --runs runs in one experiment (made
// as bench/store.mjs makes its store), opened in headless Chromium (puppeteer-core on the
// machine's chromium, no browser download). Figures: the time from navigation to the load
// event of the runs page (cold: the first listing builds the run index; then the median of
// --reps), the same for the experiments page as the same-run baseline, and what the runs page
// weighs. Prints one JSON document. After `npm run build`:
//   node bench/ui.mjs [--runs 1000] [--reps 5]
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';
import {
  arg,
  bin,
  freePort,
  median,
  printResult,
  ratio,
  round,
  waitForOk,
  withTempDir,
} from './lib.mjs';
import { makeStore } from './store-copy.mjs';

const runs = arg('runs', 1000);
const reps = arg('reps', 5);
const chromium = process.env.IRISOPS_CHROMIUM ?? '/usr/bin/chromium';

/** ms from navigation start to the load event, and the bytes the page transferred. */
async function load(page, url) {
  await page.goto(url, { waitUntil: 'load' });
  const timing = await page.evaluate(() => {
    const [nav] = performance.getEntriesByType('navigation');
    const res = performance.getEntriesByType('resource');
    const bytes = [nav, ...res].reduce((n, e) => n + (e.transferSize || e.encodedBodySize || 0), 0);
    return { ms: nav.loadEventEnd - nav.startTime, bytes };
  });
  return { ...timing, rows: await page.$$eval('#runs tbody tr', (trs) => trs.length) };
}

async function timePage(page, url) {
  const cold = await load(page, url);
  const warm = [];
  for (let i = 0; i < reps; i++) warm.push(await load(page, url));
  return {
    cold_ms: round(cold.ms),
    median_ms: round(median(warm.map((w) => w.ms))),
    bytes: warm[0]?.bytes ?? cold.bytes,
    rows: cold.rows,
  };
}

export async function benchUi() {
  if (!existsSync(chromium)) return { bench: 'ui', skipped: `no chromium at ${chromium}` };
  return withTempDir('irisops-bench-ui-', async (dir) => {
    const store = path.join(dir, 'mlruns');
    const made = makeStore(store, runs);
    const port = await freePort();
    const ui = spawn(
      process.execPath,
      [bin, 'ui', '--port', String(port), '--tracking-uri', store],
      {
        stdio: 'ignore',
        env: { ...process.env, NODE_ENV: 'production' },
      },
    );
    const base = `http://127.0.0.1:${port}`;
    const browser = await puppeteer.launch({
      executablePath: chromium,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      await waitForOk(`${base}/api/experiments`);
      const page = await browser.newPage();
      const runsPage = await timePage(page, `${base}/runs?experiment=${made.experimentId}`);
      const experiments = await timePage(page, `${base}/`);
      return {
        bench: 'ui',
        runs,
        reps,
        store_copy_s: made.copySeconds,
        runs_page: runsPage,
        experiments_page: experiments,
        runs_over_experiments: ratio(runsPage.median_ms, experiments.median_ms),
        goal: { runs_page_ms: '< 1000 at 1,000 runs' },
      };
    } finally {
      await browser.close();
      ui.kill('SIGTERM');
    }
  });
}

if (import.meta.url === `file://${process.argv[1]}`) printResult(await benchUi());
