/**
 * gather: what is asked while a write is in flight goes together in the next one, each
 * caller gets its own result, and a failed write fails exactly the requests it carried;
 * gatherRunWrites does the same with a real local store's createRuns and updateRuns.
 */
import path from 'node:path';
import t from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import { gather, gatherRunWrites } from '../../src/tune/run-writes.js';
import { tempDir } from '../helpers/temp.js';

/** A write the test lets finish when it chooses, recording what each call carried. */
function controlledWrite() {
  const calls: number[][] = [];
  const finish: ((fail?: Error) => void)[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      calls.push(items);
      finish.push((fail) => (fail ? reject(fail) : resolve(items.map((i) => `r${i}`))));
    });
  return { calls, finish, write };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

t.test('requests of one turn go together; later ones wait for the next call', async (t) => {
  const { calls, finish, write } = controlledWrite();
  const add = gather(write);
  const first = [add(1), add(2)];
  await settle();
  t.same(calls, [[1, 2]], 'the two asked together went in one call');
  const later = [add(3), add(4), add(5)];
  await settle();
  t.same(calls.length, 1, 'nothing more is written while a call is in flight');
  finish[0]?.();
  t.same(await Promise.all(first), ['r1', 'r2'], 'each caller gets its own result');
  await settle();
  t.same(calls[1], [3, 4, 5], 'what waited went in the next call');
  finish[1]?.();
  t.same(await Promise.all(later), ['r3', 'r4', 'r5']);
  const alone = add(6);
  await settle();
  finish[2]?.();
  t.equal(await alone, 'r6', 'a request after a quiet spell starts a call of its own');
  t.same(calls, [[1, 2], [3, 4, 5], [6]]);
});

t.test('a failed call fails its requests only', async (t) => {
  const { calls, finish, write } = controlledWrite();
  const add = gather(write);
  const failing = [add(1), add(2)];
  await settle();
  const next = add(3);
  finish[0]?.(new Error('disk full'));
  for (const p of failing) await t.rejects(p, /disk full/);
  await settle();
  t.same(calls[1], [3]);
  finish[1]?.();
  t.equal(await next, 'r3', 'the next call goes ahead');
});

t.test('gathered run writes on a real store: each trial gets its own run back', async (t) => {
  const store = new LocalStore(path.join(tempDir(t), 'mlruns'), { now: () => Date.now() });
  const runs = gatherRunWrites(store);
  const experiment = await store.createExperiment('sweep');
  // asked in one turn, so they travel in one createRuns and one updateRuns
  const infos = await Promise.all(
    [1, 2, 3].map((i) =>
      runs.create({
        experimentId: experiment.experiment_id,
        runName: `sweep-t${i}`,
        startTime: 1_700_000_000_000 + i,
        userId: 'test',
        params: [{ key: 'max_depth', value: String(i) }],
      }),
    ),
  );
  t.same(
    infos.map((i) => i.run_name),
    ['sweep-t1', 'sweep-t2', 'sweep-t3'],
    'each caller got the run it asked for',
  );
  await Promise.all(
    infos.map((info, i) =>
      runs.update({
        runId: info.run_id,
        batch: { metrics: [{ key: 'acc', value: i / 10, timestamp: 1, step: 0 }] },
        status: 'FINISHED',
        endTime: 1_700_000_000_100,
      }),
    ),
  );
  for (const [i, info] of infos.entries()) {
    const run = await store.getRun(info.run_id);
    t.same(
      [run.info.status, run.data.params.max_depth, run.data.metrics.acc],
      ['FINISHED', String(i + 1), i / 10],
      `${info.run_name} written as asked`,
    );
  }
});
