/**
 * `irisops registry rollback` while a real `irisops serve --reload-interval 1` answers a
 * loop of clients: serve follows the alias back with zero failed requests.
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { trainedStore } from '../helpers/fixtures.js';
import { serveProcess } from '../helpers/serve-process.js';
import { loadLoop, until } from './helpers.js';

t.test('a rollback during traffic: serve follows it back, no request fails', async (t) => {
  const { root } = await trainedStore(t, { versions: 2 });
  const cli = (args: string[]) => runCli(['--tracking-uri', root, ...args]);
  for (const version of ['1', '2'])
    t.equal((await cli(['registry', 'promote', 'iris_classifier', version])).code, 0);
  const s = await serveProcess(t, ['--tracking-uri', root, '--reload-interval', '1']);
  const loop = loadLoop(s.url);
  t.ok(await until(() => loop.versions.length > 50), 'requests flow');
  t.equal(loop.versions.at(-1), '2', 'serving v2 before the rollback');

  const rolled = await cli([
    'registry',
    'rollback',
    'iris_classifier',
    '--message',
    'v2 regressed',
  ]);
  t.equal(rolled.code, 0, rolled.stderr);
  t.match(rolled.stdout, /@production: v2 → v1/);
  const movedAt = Date.now();
  t.ok(await until(() => loop.versions.at(-1) === '1', 20_000), 'responses report version 1');
  // a figure for the record, not an assertion: how long serve took to follow
  t.comment(`serve answered with v1 ${Date.now() - movedAt} ms after the rollback returned`);
  const switched = loop.versions.length;
  t.ok(await until(() => loop.versions.length > switched + 50), 'and keep flowing');
  await loop.stop();

  t.same(loop.failures, [], 'no request failed');
  const versions = loop.inServerOrder();
  const firstOne = versions.indexOf('1');
  t.same([...new Set(versions.slice(0, firstOne))], ['2'], 'v2 until the switch');
  // no flapping: each client, whose requests follow one another, sees v2 and then only v1
  for (const mine of loop.byClient) {
    const switchedAt = mine.indexOf('1');
    t.same([...new Set(mine.slice(switchedAt))], ['1'], 'then only v1: no flapping');
  }
  t.comment(`${loop.versions.length} requests answered, ${loop.failures.length} failed`);
  s.child.kill('SIGTERM');
  t.equal((await s.exit).code, 0, 'serve stops cleanly');
});
