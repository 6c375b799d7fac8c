/**
 * The real `irisops serve` under load: SIGTERM while clients hammer it (nothing accepted is
 * lost, exit 0 within the timeout), and a new version promoted every second through the CLI
 * with --reload-interval 1 (no request fails, only promoted versions answer).
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import { SAMPLES } from '../serve/helpers.js';
import {
  envNumber,
  predictLoad,
  reportFigures,
  sleep,
  startServe,
  tally,
  until,
} from './helpers.js';

const BODY = JSON.stringify({ features: SAMPLES.versicolor });

t.test(
  'SIGTERM under load: every request sent before the drain ended is answered 200, exit 0',
  async (t) => {
    const { root } = await trainedStore(t, { versions: 1, alias: 'production' });
    const drainMs = 600;
    const shutdownTimeoutMs = 5000;
    const served = await startServe(t, [
      '--tracking-uri',
      root,
      '--drain-ms',
      String(drainMs),
      '--shutdown-timeout',
      String(shutdownTimeoutMs),
    ]);
    const load = predictLoad(served.url, BODY, 16);
    t.ok(await until(() => load.events.filter((e) => e.status === 200).length > 500), 'load flows');

    const sigterm = performance.now();
    served.child.kill('SIGTERM');
    const { code, signal, at } = await served.exit;
    const events = await load.stop();
    const exitMs = at - sigterm;
    t.equal(code, 0, `exit code 0 (signal ${signal})`);
    t.ok(exitMs < drainMs + shutdownTimeoutMs, `exited ${Math.round(exitMs)} ms after SIGTERM`);

    // A request is "accepted before shutdown" when it was sent before the drain ended (less a
    // 100 ms margin for the loopback round trip): the drain exists so those are not refused.
    // After it, new requests may be refused or find their idle keep-alive socket closed.
    const acceptedBy = sigterm + drainMs - 100;
    const before = events.filter((e) => e.sent < acceptedBy);
    const after = events.filter((e) => e.sent >= acceptedBy);
    const failedBefore = before.filter((e) => e.status !== 200);
    t.same(
      failedBefore.map((e) => `${e.error ?? e.status} at ${Math.round(e.sent - sigterm)} ms`),
      [],
      `all ${before.length} requests sent before the drain ended got 200`,
    );
    const answeredAfter = after.filter((e) => e.status !== null);
    t.ok(
      answeredAfter.every((e) => e.status === 200 || e.status === 503),
      'later requests that got an answer got 200 or 503',
    );
    const resetInFlight = after.filter(
      (e) => e.error !== null && e.error !== 'ECONNREFUSED' && e.ended - e.sent > 1000,
    );
    t.same(resetInFlight, [], 'no request was cut after waiting on an open connection');
    reportFigures(t, 'sigterm-under-load', {
      requests: events.length,
      sent_before_drain_end: before.length,
      failed_before_drain_end: failedBefore.length,
      after_drain: tally(after),
      exit_ms: Math.round(exitMs),
    });
  },
);

t.test(
  'a version promoted every second under load: zero failures, only promoted versions answer',
  async (t) => {
    const seconds = envNumber('IRISOPS_SOAK_SECONDS', 10);
    const { root } = await trainedStore(t, { versions: seconds + 1 });
    const promote = (v: number) =>
      runCli([
        'registry',
        'promote',
        'iris_classifier',
        String(v),
        '--tracking-uri',
        root,
        '--json',
      ]);
    t.equal((await promote(1)).code, 0);
    const promoted = new Set(['1']);
    const served = await startServe(t, ['--tracking-uri', root, '--reload-interval', '1']);
    const load = predictLoad(served.url, BODY, 8);
    t.ok(await until(() => load.events.length > 100), 'load flows');

    const started = performance.now();
    for (let v = 2; v <= seconds + 1; v++) {
      const r = await promote(v);
      t.equal(r.code, 0, `promoted v${v}`, { stderr: r.stderr });
      promoted.add(String(v));
      const wait = started + (v - 1) * 1000 - performance.now();
      if (wait > 0) await sleep(wait);
    }
    const last = String(seconds + 1);
    t.ok(
      await until(() => load.events.findLast((e) => e.version !== null)?.version === last, 5000),
      `the last promoted version (${last}) answers`,
    );
    const events = await load.stop();
    served.child.kill('SIGTERM');
    t.equal((await served.exit).code, 0, 'serve exits 0');

    const failures = events.filter((e) => e.status !== 200);
    t.same(
      failures.map((e) => e.error ?? e.status),
      [],
      `no failure in ${events.length} requests`,
    );
    const versions = new Set(events.map((e) => e.version ?? ''));
    t.ok(
      [...versions].every((v) => promoted.has(v)),
      `answered only by promoted versions: ${[...versions].join(', ')}`,
    );
    t.ok(versions.size >= Math.ceil(seconds / 2), `${versions.size} versions served in turn`);
    reportFigures(t, 'reload-under-load', {
      seconds,
      promotions: seconds,
      requests: events.length,
      failed: failures.length,
      versions_served: versions.size,
    });
  },
);
