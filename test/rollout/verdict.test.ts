import t from 'tap';
import { FeedbackWindow } from '../../src/rollout/feedback.js';
import { normalCdf, twoProportionTest, wilsonInterval } from '../../src/rollout/statistics.js';
import { decide } from '../../src/rollout/verdict.js';

const tally = (labelled: number, correct: number) => ({ requests: labelled, labelled, correct });

t.test('the statistics match textbook values', async (t) => {
  t.ok(Math.abs(normalCdf(1.959963984540054) - 0.975) < 1e-6);
  const [lo, hi] = wilsonInterval(45, 50) ?? [0, 0];
  // Wilson 95 % for 45/50: 0.7864 .. 0.9565
  t.ok(Math.abs(lo - 0.7864) < 1e-3 && Math.abs(hi - 0.9565) < 1e-3, `${lo} ${hi}`);
  const test = twoProportionTest(80, 100, 90, 100);
  // pooled z for 0.80 vs 0.90 at n=100 each: 1.980, p 0.0477
  t.ok(Math.abs((test?.z ?? 0) - 1.98) < 0.01);
  t.ok(Math.abs((test?.pValue ?? 0) - 0.0477) < 0.001);
});

t.test('a challenger that is really better, worse or the same', async (t) => {
  t.equal(decide(tally(400, 280), tally(400, 380)).verdict, 'challenger better');
  t.equal(decide(tally(400, 380), tally(400, 280)).verdict, 'champion better');
  const same = decide(tally(400, 360), tally(400, 360));
  t.equal(same.verdict, 'no significant difference yet');
  t.ok((same.p_value ?? 0) > 0.999);
  const close = decide(tally(100, 85), tally(100, 88));
  t.equal(close.verdict, 'no significant difference yet');
  t.ok((close.more_labels_needed ?? 0) > 1000, `needs ${close.more_labels_needed}`);
  t.equal(decide(tally(400, 280), tally(400, 380)).more_labels_needed, 0);
});

t.test('too few labels is never a verdict, however large the gap', async (t) => {
  const d = decide(tally(10, 0), tally(10, 10));
  t.equal(d.verdict, 'no significant difference yet');
  t.equal(d.more_labels_needed, 40);
  t.equal(decide(tally(0, 0), tally(0, 0)).more_labels_needed, 60);
});

t.test('the feedback window matches, counts once and forgets the oldest', async (t) => {
  const w = new FeedbackWindow(2);
  w.recordAnswer('a', 'champion', 0);
  w.recordAnswer('b', 'challenger', 1);
  w.recordAnswer('c', 'champion', 2);
  t.equal(w.size, 2);
  t.same(w.label('a', 0), { outcome: 'unmatched' });
  t.same(w.label('b', 1), { outcome: 'matched', variant: 'challenger', correct: true });
  t.equal(w.label('b', 1).outcome, 'duplicate');
  t.same(w.label('c', 0), { outcome: 'matched', variant: 'champion', correct: false });
  t.same(w.tally('champion'), { requests: 2, labelled: 1, correct: 0 });
});
