/**
 * irisops runs push from the terminal: what it prints, its --json document, and a second push
 * that finds nothing new; a push whose only news is an alias move says so.
 */
import t from 'tap';
import { runCli } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/tracking/local/index.js';
import { validatorFor } from '../../src/schemas/index.js';

t.test('push a trained store to another folder, then again', async (t) => {
  const dir = tempDir(t);
  const from = `${dir}/offline`;
  const to = `${dir}/class`;
  const store = new LocalStore(from, { now: () => Date.now() });
  const trained = await trainInto(store, { register: true });

  const first = await runCli(['runs', 'push', '--tracking-uri', from, '--to', to]);
  t.equal(first.code, 0, first.stderr);
  t.match(
    first.stdout,
    /pushed .*offline → .*class: 1 run\(s\) copied \(1 logged model\(s\)\), 0 already there; 1 version\(s\) copied/,
  );
  t.match(first.stderr, new RegExp(`run ${trained.result.run_id} → [0-9a-f]{32}`));
  t.notMatch(first.stderr, /nothing new to copy/);

  const target = new LocalStore(to, { now: () => Date.now() });
  const experiments = (await target.listExperiments()).map((e) => e.experiment_id);
  const [copy] = await target.searchRuns({ experimentIds: experiments });
  t.equal(copy?.outputs.length, 1, "the run's logged model came with it");

  await runCli(['registry', 'promote', 'iris_classifier', '1', '--tracking-uri', from]);
  const moved = await runCli(['runs', 'push', '--tracking-uri', from, '--to', to, '--json']);
  t.equal(moved.code, 0, moved.stderr);
  const doc: unknown = JSON.parse(moved.stdout);
  t.ok(validatorFor('push-result')(doc), 'schema-valid --json');
  t.same((doc as { aliases: unknown[] }).aliases, [
    { name: 'iris_classifier', alias: 'production', version: '1' },
  ]);

  const again = await runCli(['runs', 'push', '--tracking-uri', from, '--to', to]);
  t.equal(again.code, 0, again.stderr);
  t.match(again.stdout, /0 run\(s\) copied, 1 already there; 0 version\(s\) copied/);
  t.match(again.stderr, /nothing new to copy/);
});
