/** runs ls --filter / --sort: a key the user meant as a metric is named, as a usage error. */
import t from 'tap';
import path from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/tracking/local/index.js';

t.test('bare keys, unknown sort keys and a sort key no run has', async (t) => {
  const root = path.join(tempDir(t), 'mlruns');
  await trainInto(new LocalStore(root, { now: () => Date.now() }));
  const uri = ['--tracking-uri', root];

  const filter = await runCli(['runs', 'ls', '--filter', 'accuracy > 0.9', ...uri]);
  t.equal(filter.code, 2, 'a usage error');
  t.match(filter.stderr, /^error: invalid filter at position 1: unknown attribute 'accuracy'/);
  t.match(filter.stderr, /\nhint: did you mean metrics\.accuracy\?/);

  const sort = await runCli(['runs', 'ls', '--sort', 'accuracy', ...uri]);
  t.equal(sort.code, 2);
  t.match(sort.stderr, /^error: --sort "accuracy" is not a run attribute\n/);
  t.notMatch(sort.stderr, /attributes\.accuracy/, 'quotes only what the user typed');
  t.match(sort.stderr, /hint: .*irisops runs ls --sort metrics\.accuracy/);

  const nobody = await runCli(['runs', 'ls', '--sort', 'metrics.nope', ...uri]);
  t.equal(nobody.code, 0);
  t.match(nobody.stderr, /warning: no listed run has metrics\.nope: they are in start-time order/);

  const fine = await runCli(['runs', 'ls', '--sort', 'run_name ASC', '--json', ...uri]);
  t.equal(fine.code, 0, fine.stderr);
  t.equal(fine.stderr, '');
});
