// Pictures of `irisops ui` for the README: a throwaway project with a few runs, a small
// sweep and a promoted version, the UI on a free loopback port, and Debian's Chromium
// (puppeteer-core, no browser download) saving docs/images/ui-*.png.
//   node scripts/ui-screenshots.mjs        (after npm run build; needs /usr/bin/chromium)
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { freePort, waitForOk } from '../bench/lib.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(root, 'bin', 'irisops.js');
const out = path.join(root, 'docs', 'images');
const chromium = process.env.IRISOPS_CHROMIUM ?? '/usr/bin/chromium';
const project = mkdtempSync(path.join(os.tmpdir(), 'irisops-shots-'));
const cli = (...args) =>
  execFileSync(process.execPath, [bin, ...args], { cwd: project, encoding: 'utf8' });

for (const [trees, depth] of [
  [10, 2],
  [50, 3],
  [100, 5],
])
  cli('train', '--n-estimators', String(trees), '--max-depth', String(depth), '--cv', '5');
cli('tune', '--n-estimators', '25,50', '--max-depth', '2:3', '--cv', '3', '--parallel', '1');
cli('registry', 'promote', 'iris_classifier', '1');
cli('registry', 'promote', 'iris_classifier', '3', '--message', 'deeper trees, better CV');

const port = await freePort();
const ui = spawn(process.execPath, [bin, 'ui', '--port', String(port)], {
  cwd: project,
  stdio: 'ignore',
});
const base = `http://127.0.0.1:${port}`;
const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  await waitForOk(`${base}/`);
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 800 });
  const shoot = async (name) =>
    page.screenshot({ path: path.join(out, `ui-${name}.png`), fullPage: false });

  await page.goto(`${base}/`, { waitUntil: 'load' });
  await Promise.all([page.waitForNavigation(), page.click('a[href^="/runs?experiment="]')]);
  await shoot('runs');
  const ids = await page.$$eval('#runs tbody tr:not(.child)', (trs) =>
    trs.map((tr) => tr.getAttribute('data-run-id')),
  );
  const runsUrl = page.url();
  await page.goto(`${base}/run?id=${ids.at(-1)}`, { waitUntil: 'load' });
  await shoot('run');
  await page.goto(runsUrl, { waitUntil: 'load' });
  for (const id of ids.slice(-3)) await page.click(`input[value="${id}"]`);
  await Promise.all([page.waitForNavigation(), page.click('#compare-form button')]);
  await shoot('compare');
  await page.goto(`${base}/registry`, { waitUntil: 'load' });
  await shoot('registry');
  console.log(`saved ui-runs, ui-run, ui-compare, ui-registry .png in ${out}`);
} finally {
  await browser.close();
  ui.kill('SIGTERM');
  rmSync(project, { recursive: true, force: true });
}
