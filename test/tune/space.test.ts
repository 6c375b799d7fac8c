import t from 'tap';
import { UsageError } from '../../src/errors.js';
import { gridSize, parseSpace, parseValues, planTrials, trialSeed } from '../../src/tune/space.js';

t.test('lists and inclusive ranges; a parameter not given keeps train default', async (t) => {
  t.same(parseValues('n_estimators', '100, 25,50,25'), [25, 50, 100], 'sorted, once each');
  t.same(parseValues('max_depth', '2:6'), [2, 3, 4, 5, 6]);
  t.same(parseValues('max_depth', '3:3'), [3]);
  t.same(parseValues('max_features', '0.5,0.75,1'), [0.5, 0.75, 1]);
  t.same(parseValues('max_features', '1:4'), [1, 2, 3, 4], 'counts as a range');
  const space = parseSpace({ max_depth: '2:3' });
  t.same(space, { n_estimators: [100], max_depth: [2, 3], max_features: [1] });
  t.equal(gridSize(parseSpace({ n_estimators: '25,50,100,200', max_depth: '2:6' })), 20);
});

t.test('every bad value is a usage error naming the flag', async (t) => {
  const bad: [Parameters<typeof parseValues>[0], string, RegExp][] = [
    ['n_estimators', '', /--n-estimators: the list is empty/],
    ['n_estimators', ' , ', /the list is empty/],
    ['n_estimators', '10,,20', /has an empty item/],
    ['max_depth', '5:2', /the range "5:2" is empty \(5 > 2\)/],
    ['max_depth', '2.5:6', /needs two integers/],
    ['max_depth', 'a:3', /needs two integers/],
    ['max_depth', '1:2:3', /needs two integers|is not/],
    ['n_estimators', '10.5', /"10.5" is not an integer/],
    ['n_estimators', 'ten', /"ten" is not a number/],
    ['n_estimators', '0', /0 is outside 1\.\.5000/],
    ['max_depth', '65', /65 is outside 1\.\.64/],
    ['max_features', '0', /--max-features must be a share in \(0, 1\]/],
    ['max_features', '5', /whole number from 1 to 4/],
    ['max_features', '1.5', /--max-features/],
  ];
  for (const [param, text, message] of bad) {
    t.throws(() => parseValues(param, text), UsageError, `${param} ${JSON.stringify(text)}`);
    t.throws(() => parseValues(param, text), { message }, `${param} ${JSON.stringify(text)}`);
  }
});

t.test(
  'a grid is every combination, each trial with a seed from --seed and its params',
  async (t) => {
    const space = parseSpace({ n_estimators: '10,20', max_depth: '2:3' });
    const trials = planTrials({ space, search: 'grid', trials: null, seed: 42, maxTrials: 1000 });
    t.same(
      trials.map((x) => [x.index, x.params.n_estimators, x.params.max_depth]),
      [
        [0, 10, 2],
        [1, 10, 3],
        [2, 20, 2],
        [3, 20, 3],
      ],
    );
    const seeds = trials.map((x) => x.params.random_state);
    t.equal(new Set(seeds).size, 4, 'each trial its own seed');
    t.equal(trialSeed(42, { n_estimators: 10, max_depth: 2, max_features: 1 }), seeds[0]);
    t.not(trialSeed(7, { n_estimators: 10, max_depth: 2, max_features: 1 }), seeds[0]);
    for (const s of seeds) t.ok(Number.isInteger(s) && s >= 0 && s <= 2147483647);
  },
);

t.test('random search samples distinct points, the same ones for the same --seed', async (t) => {
  const space = parseSpace({ max_depth: '1:8', max_features: '0.5,0.75,1' });
  const plan = (seed: number) =>
    planTrials({ space, search: 'random', trials: 5, seed, maxTrials: 1000 }).map((x) => x.params);
  const a = plan(7);
  t.equal(a.length, 5);
  t.equal(new Set(a.map((p) => `${p.max_depth}/${p.max_features}`)).size, 5, 'distinct');
  t.same(plan(7), a, 'reproducible');
  t.notSame(plan(8), a, 'another seed, another sample');
});

t.test('trial counts: --trials 0, --trials with grid, the 1,000-point cap', async (t) => {
  const space = parseSpace({ n_estimators: '1:50', max_depth: '1:21' });
  const plan = (o: Partial<Parameters<typeof planTrials>[0]>) => () =>
    planTrials({ space, search: 'grid', trials: null, seed: 1, maxTrials: 1000, ...o });
  t.throws(plan({}), { message: /1050 trials, more than the cap of 1000/ });
  t.equal(plan({ maxTrials: 1050 })().length, 1050, '--max-trials raises the cap');
  t.throws(plan({ trials: 3 }), { message: /--trials is for --search random/ });
  t.throws(plan({ search: 'random', trials: 0 }), { message: /--trials must be at least 1/ });
  t.throws(plan({ search: 'random' }), { message: /needs --trials/ });
  t.equal(plan({ search: 'random', trials: 20 })().length, 20);
});
