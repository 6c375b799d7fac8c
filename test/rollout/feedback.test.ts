import t from 'tap';
import { FeedbackWindow } from '../../src/rollout/feedback.js';
import { idFor, sequenceFor, ownSequence, requestId } from '../../src/serve/request-id.js';

t.test('answers under server-made ids: matched, duplicate, evicted after N more ids', async (t) => {
  const w = new FeedbackWindow(3, ownSequence);
  const ids = Array.from({ length: 5 }, () => requestId(undefined));
  w.recordAnswer(ids[0] as string, 'champion', 0);
  w.recordAnswer(ids[1] as string, 'challenger', 2);
  t.equal(w.size, 2);
  t.same(w.label(ids[1] as string, 2), {
    outcome: 'matched',
    variant: 'challenger',
    correct: true,
  });
  t.same(w.label(ids[1] as string, 2), { outcome: 'duplicate', variant: 'challenger' });
  t.same(w.label(ids[2] as string, 0), { outcome: 'unmatched' }, 'an id never answered');
  w.recordAnswer(ids[3] as string, 'champion', 1);
  w.recordAnswer(ids[4] as string, 'champion', 1);
  // five ids made, window 3: ids 3 and 4 took the slots of ids 0 and 1
  t.equal(w.size, 2, 'the ids made since bound it, not only the answers');
  t.same(w.label(ids[0] as string, 0), { outcome: 'unmatched' }, 'its slot was taken');
  t.same(w.label(ids[1] as string, 2), { outcome: 'unmatched' }, 'evicted, not a duplicate');
  t.same(w.label(ids[4] as string, 0), { outcome: 'matched', variant: 'champion', correct: false });
  t.same(w.tally('champion'), { requests: 3, labelled: 1, correct: 0 });
  t.same(w.tally('challenger'), { requests: 1, labelled: 1, correct: 1 });
});

t.test('server-made and caller-named ids live side by side', async (t) => {
  const w = new FeedbackWindow(2, ownSequence);
  const own = requestId(undefined);
  w.recordAnswer(own, 'champion', 1);
  w.recordAnswer('order-17', 'challenger', 0);
  w.recordAnswer('order-17', 'champion', 2);
  t.equal(w.size, 2, 'a reused caller id is one answer, the newest');
  t.same(w.label('order-17', 2), { outcome: 'matched', variant: 'champion', correct: true });
  t.same(w.label(own, 1), { outcome: 'matched', variant: 'champion', correct: true });
});

t.test('a window of 0 keeps nothing but still counts requests', async (t) => {
  const w = new FeedbackWindow(0, ownSequence);
  const id = requestId(undefined);
  w.recordAnswer(id, 'champion', 0);
  t.equal(w.size, 0);
  t.same(w.label(id, 0), { outcome: 'unmatched' });
  t.same(w.tally('champion'), { requests: 1, labelled: 0, correct: 0 });
});

t.test('only ids this process made read back as its own', async (t) => {
  const id = requestId(undefined);
  const n = ownSequence(id);
  t.ok(n > 0);
  t.equal(ownSequence(requestId(undefined)), n + 1, 'one counter');
  t.equal(ownSequence(id.slice(0, -1) + 'g'), -1, 'not hex');
  t.equal(ownSequence(id.slice(0, -1) + 'A'), -1, 'not the form this process writes');
  t.equal(ownSequence(`${id}0`), -1, 'too long');
  t.equal(ownSequence('0' + id.slice(1)) === n && !id.startsWith('0'), false, 'another prefix');
  t.equal(requestId('caller-1'), 'caller-1', "a caller's harmless id is echoed");
  t.equal(ownSequence('caller-1'), -1);
  t.not(requestId('bad id with spaces'), 'bad id with spaces');
});

t.test('the counter the server already knows gives what reading the id back gives', async (t) => {
  const seq = sequenceFor(undefined);
  const id = idFor(undefined, seq);
  t.equal(ownSequence(id), seq, 'idFor and ownSequence agree');
  t.equal(sequenceFor('order-17'), -1, "a caller's id has no counter");
  t.equal(idFor('order-17', -1), 'order-17', 'and is echoed');
  t.ok(sequenceFor('two words') >= 0 && sequenceFor(['a', 'b']) >= 0, 'others get one');
  const told = new FeedbackWindow(4, ownSequence);
  const read = new FeedbackWindow(4, ownSequence);
  told.recordAnswer(id, 'challenger', 2, seq);
  read.recordAnswer(id, 'challenger', 2);
  told.recordAnswer('order-17', 'champion', 1, -1);
  read.recordAnswer('order-17', 'champion', 1);
  for (const w of [told, read]) {
    t.same(w.label(id, 2), { outcome: 'matched', variant: 'challenger', correct: true });
    t.same(w.label('order-17', 0), { outcome: 'matched', variant: 'champion', correct: false });
  }
});
