import t from 'tap';
import {
  bucketOf,
  createAssigner,
  createShadowSampler,
  stableHash,
} from '../../src/rollout/routing.js';

t.test('the subject hash is FNV-1a: fixed values, the same in every process', async (t) => {
  t.equal(stableHash(''), 0x811c9dc5);
  t.equal(stableHash('a'), 0xe40c292c);
  t.equal(stableHash('foobar'), 0xbf9cf968);
  t.equal(bucketOf('user-42'), bucketOf('user-42'));
});

t.test(
  'a subject keeps its variant; forcing wins; no challenger loaded means champion',
  async (t) => {
    const assign = createAssigner(50, () => 0);
    const first = assign.assign({ subject: 'alice', challengerReady: true });
    for (let i = 0; i < 20; i++)
      t.equal(assign.assign({ subject: 'alice', challengerReady: true }), first);
    t.equal(assign.assign({ forced: 'champion', challengerReady: true }), 'champion');
    t.equal(assign.assign({ forced: 'challenger', challengerReady: true }), 'challenger');
    t.equal(assign.assign({ challengerReady: false }), 'champion');
    // rng 0 is the lowest bucket: inside any split
    t.equal(assign.assign({ challengerReady: true }), 'challenger');
  },
);

t.test('subjects spread over the split like the target share', async (t) => {
  const assign = createAssigner(10);
  let challenger = 0;
  for (let i = 0; i < 20_000; i++)
    if (assign.assign({ subject: `subject-${i}`, challengerReady: true }) === 'challenger')
      challenger++;
  t.ok(Math.abs(challenger / 20_000 - 0.1) < 0.01, `${challenger} of 20000`);
});

t.test('the shadow sampler honours 100 % and its share', async (t) => {
  const all = createShadowSampler(100, () => 0.999);
  t.ok(all());
  const half = createShadowSampler(50, () => 0.6);
  t.notOk(half());
});
