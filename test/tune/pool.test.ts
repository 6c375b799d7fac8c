/**
 * The trial pool with stand-in workers: the costliest trial first, a lane's next trial
 * starting while the last one still writes, a fresh worker after a failed fit, an abort
 * that waits for what is being written, and an idle lane's worker handed to the caller.
 */
import t from 'tap';
import { InterruptedError } from '../../src/errors.js';
import type { FitSession } from '../../src/model/fit.js';
import { runPool, scheduleOrder } from '../../src/tune/pool.js';
import type { Trial } from '../../src/tune/space.js';

const trial = (index: number, n: number, d = 3, f = 1): Trial => ({
  index,
  params: { n_estimators: n, max_depth: d, max_features: f, random_state: index },
});

interface FakeSession extends FitSession {
  id: number;
  closed: boolean;
}

function fakeSessions() {
  const opened: FakeSession[] = [];
  const open = (): FakeSession => {
    const session: FakeSession = {
      id: opened.length,
      closed: false,
      fit: () => Promise.reject(new Error('not used')),
      crossValidate: () => Promise.resolve([1]),
      close: async () => {
        session.closed = true;
      },
    };
    opened.push(session);
    return session;
  };
  return { opened, open };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

t.test('the schedule: most trees first, then more features, deeper, then by index', async (t) => {
  const trials = [
    trial(0, 25, 2),
    trial(1, 200, 2),
    trial(2, 200, 6),
    trial(3, 50, 4),
    trial(4, 50, 4),
    trial(5, 50, 2, 0.5),
  ];
  t.same(
    scheduleOrder(trials).map((x) => x.index),
    [2, 1, 3, 4, 0, 5],
  );
  t.same(
    trials.map((x) => x.index),
    [0, 1, 2, 3, 4, 5],
    'the plan itself is left in index order',
  );
});

t.test('lanes take the costliest trial first; results come back in index order', async (t) => {
  const { open } = fakeSessions();
  const started: number[] = [];
  const settled = await runPool([trial(0, 10), trial(1, 300), trial(2, 100), trial(3, 20)], {
    parallel: 1,
    openSession: open,
    run: async (x) => {
      started.push(x.index);
      return x.params.n_estimators;
    },
  });
  t.same(started, [1, 2, 3, 0]);
  t.same(
    settled.map((s) => s.trial.index),
    [0, 1, 2, 3],
  );
});

t.test('a released worker starts the next trial while the last one still writes', async (t) => {
  const { open, opened } = fakeSessions();
  const events: string[] = [];
  let finishWrites!: () => void;
  const writes = new Promise<void>((resolve) => (finishWrites = resolve));
  const pool = runPool([trial(0, 200), trial(1, 100)], {
    parallel: 1,
    openSession: open,
    run: async (x, _session, release) => {
      events.push(`start ${x.index}`);
      release();
      if (x.index === 0) await writes;
      events.push(`recorded ${x.index}`);
      return x.index;
    },
  });
  await tick();
  t.same(events, ['start 0', 'start 1', 'recorded 1'], 'trial 1 ran while trial 0 wrote');
  finishWrites();
  const settled = await pool;
  t.same(events, ['start 0', 'start 1', 'recorded 1', 'recorded 0']);
  t.equal(settled.length, 2);
  t.equal(opened.length, 1, 'one worker for the lane');
});

t.test('a failed fit gets its lane a fresh worker; a failed write does not', async (t) => {
  const { open, opened } = fakeSessions();
  const used: number[] = [];
  const settled = await runPool([trial(0, 300), trial(1, 200), trial(2, 100)], {
    parallel: 1,
    openSession: open,
    run: async (x, session, release) => {
      used.push((session as FakeSession).id);
      if (x.index === 0) throw new Error('the fit failed');
      release();
      if (x.index === 1) throw new Error('the write failed');
      return x.index;
    },
  });
  t.same(used, [0, 1, 1], 'worker 0 replaced after the failed fit, worker 1 kept after');
  t.same(
    settled.map((s) => s.ok),
    [false, false, true],
  );
  t.ok(
    opened.every((s) => s.closed),
    'every worker closed',
  );
});

t.test('an abort waits for the trials still writing, then throws', async (t) => {
  const { open, opened } = fakeSessions();
  const controller = new AbortController();
  let written = false;
  const pool = runPool([trial(0, 300), trial(1, 200), trial(2, 100)], {
    parallel: 2,
    signal: controller.signal,
    openSession: open,
    run: async (x, _session, release) => {
      if (x.index === 0) {
        release();
        controller.abort();
        await tick();
        written = true;
        return x.index;
      }
      await tick();
      throw new InterruptedError('irisops tune interrupted');
    },
  });
  await t.rejects(pool, InterruptedError);
  t.ok(written, 'the released trial finished writing before the pool threw');
  t.ok(
    opened.every((s) => s.closed),
    'every worker closed',
  );
});

t.test('the first idle lane hands its worker over; workers opened ahead are used', async (t) => {
  const { open, opened } = fakeSessions();
  const ahead = [open(), open(), open()];
  const kept: FitSession[] = [];
  await runPool([trial(0, 10), trial(1, 20)], {
    parallel: 2,
    openSession: open,
    sessions: ahead,
    run: async (x) => x.index,
    onIdle: (session) => {
      if (kept.length > 0) return false;
      kept.push(session);
      return true;
    },
  });
  t.equal(opened.length, 3, 'no worker opened beyond those opened ahead');
  t.equal(kept.length, 1);
  t.notOk((kept[0] as FakeSession).closed, 'the handed-over worker is left open');
  t.equal(opened.filter((s) => s.closed).length, 2, 'the other lane and the unused one closed');
});
