/**
 * The pages in a real headless Chromium (Debian's /usr/bin/chromium through puppeteer-core,
 * which never downloads a browser): click through runs → run → compare → only differences,
 * sort, a filter error, an alias move from the page, the back button; no console error and
 * no request to any other origin.
 */
import t from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { LocalStore } from '../../src/tracking/local/index.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { seedStore, startUi, XSS_NAME } from './fixtures.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function launch(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** Every console error, page error and foreign request the page makes, for one assertion. */
function watch(page: Page, origin: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${String(e)}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(origin) && !url.startsWith('data:'))
      problems.push(`foreign request: ${url}`);
  });
  return problems;
}

const texts = (page: Page, selector: string) =>
  page.$$eval(selector, (els) => els.map((e) => (e.textContent ?? '').trim()));

t.test(
  'a student clicks through runs, compare and registry',
  { skip: existsSync(CHROMIUM) ? false : `no chromium at ${CHROMIUM}` },
  async (t) => {
    const root = path.join(tempDir(t), 'mlruns');
    const store = new LocalStore(root, { now: () => Date.now() });
    const seeded = await seedStore(store);
    const ui = await startUi(t, store);
    const browser = await launch();
    t.teardown(() => browser.close());
    const page = await browser.newPage();
    const problems = watch(page, ui.url);

    await page.goto(`${ui.url}/`, { waitUntil: 'load' });
    await Promise.all([page.waitForNavigation(), page.click('a[href^="/runs?experiment="]')]);
    t.equal((await page.$$('#runs tbody tr')).length, 5, 'five runs listed');
    t.ok((await texts(page, '#runs td.name')).includes(XSS_NAME), 'the XSS name shows as text');
    const rows = await page.$$eval('#runs tbody tr', (trs) =>
      trs.map((tr) => ({ id: tr.getAttribute('data-run-id'), cls: tr.className })),
    );
    const parentAt = rows.findIndex((r) => r.id === seeded.runIds.parent);
    t.equal(rows[parentAt]?.cls, 'parent', 'the sweep is a parent');
    t.same(rows[parentAt + 1], { id: seeded.runIds.child, cls: 'child' }, 'its child follows it');

    // sort by a param, twice: the direction flips and the URL keeps it
    const sortLink = 'thead a[href*="n_estimators"]';
    await Promise.all([page.waitForNavigation(), page.click(sortLink)]);
    t.match(page.url(), /sort=params\.%60n_estimators%60\+DESC/);
    await Promise.all([page.waitForNavigation(), page.click(sortLink)]);
    t.match(page.url(), /ASC/);
    const ids = await page.$$eval('#runs tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-run-id')),
    );
    t.same(ids.slice(0, 2), [seeded.runIds.v1, seeded.runIds.v2], 'fewest trees first');

    // a filter that does not parse: the message in the page, the form keeps the text
    await page.$eval(
      'input[name=filter]',
      (el) => ((el as unknown as { value: string; checked: boolean }).value = ''),
    );
    await page.type('input[name=filter]', 'metrics.accuracy >');
    await Promise.all([page.waitForNavigation(), page.click('form.filter button')]);
    t.match(await page.$eval('.notice.error', (e) => e.textContent), /invalid filter/);
    t.equal(
      await page.$eval('input[name=filter]', (e) => (e as unknown as { value: string }).value),
      'metrics.accuracy >',
    );
    await Promise.all([page.waitForNavigation(), page.goBack()]);
    t.equal((await page.$$('#runs tbody tr')).length, 5, 'back: the sorted table again');

    // compare the two trained runs, then only their differences
    await page.click(`input[value="${seeded.runIds.v1}"]`);
    await page.click(`input[value="${seeded.runIds.v2}"]`);
    await Promise.all([page.waitForNavigation(), page.click('#compare-form button')]);
    const all = (await page.$$('#compare tr.same, #compare tr.differs')).length;
    t.ok((await page.$$('#compare tr.same')).length > 0, 'some params are equal');
    t.ok((await page.$$('svg.chart')).length >= 2, 'charts drawn');
    await Promise.all([page.waitForNavigation(), page.click('#diff-toggle')]);
    t.equal((await page.$$('#compare tr.same')).length, 0, 'only differences left');
    t.ok((await page.$$('#compare tr.differs')).length < all);
    t.ok((await texts(page, '#compare th[scope=row]')).includes('max_depth'), 'max_depth differs');
    await Promise.all([page.waitForNavigation(), page.goBack()]);
    t.ok((await page.$$('#compare tr.same')).length > 0, 'back: the full comparison');

    // a run's page: step chart, confusion matrix, report, MLmodel
    await Promise.all([
      page.waitForNavigation(),
      page.click(`#compare thead a[href*="${seeded.runIds.v1}"]`),
    ]);
    t.match(await page.$eval('#report', (e) => e.textContent), /precision/);
    t.match(await page.$eval('#mlmodel', (e) => e.textContent), /flavors/);
    t.ok((await texts(page, '#artifacts a')).includes('confusion_matrix.svg'), 'artifacts listed');
    await page.goto(`${ui.url}/run?id=${seeded.runIds.child}`);
    t.ok((await page.$$('svg.chart polyline')).length === 1, 'a metric over steps is a chart');

    // promote v2 from the registry page, plain (no if-better), and see the CLI agree
    await page.goto(`${ui.url}/registry`);
    const form = 'tr[data-version="2"] form.alias';
    await page.$eval(
      `${form} input[name=if_better]`,
      (el) => ((el as unknown as { value: string; checked: boolean }).checked = false),
    );
    await Promise.all([page.waitForNavigation(), page.click(`${form} button`)]);
    t.match(await page.$eval('.notice', (e) => e.textContent), /@production: unset → v2/);
    const ls = await runCli(['registry', 'ls', '--json', '--tracking-uri', root], {
      env: cleanEnv(),
    });
    t.match(JSON.parse(ls.stdout), { models: [{ aliases: { production: '2' } }] });
    // only-if-better refuses v1 (different split seed), as registry promote --if-better does
    await Promise.all([
      page.waitForNavigation(),
      page.click('tr[data-version="1"] form.alias button'),
    ]);
    t.match(
      await page.$eval('.notice.error', (e) => e.textContent),
      /not moved: cannot compare accuracy/,
    );
    t.same(problems, [], 'no console error, no dialog, no foreign request');
  },
);
