import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { LocalStore } from '../../src/tracking/local/index.js';
import { tempDir } from '../helpers/temp.js';
import type { TapTest } from './conformance.js';
import { buildLocalStore } from './fixtures/build-local-store.js';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Starts a child that holds the store lock; resolves once it says it holds it. */
async function holdLock(t: TapTest, root: string, hold: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [path.join(fixtures, 'lock-holder.mjs'), buildLocalStore(), root, hold],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  t.teardown(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('locked')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`lock holder exited (${code}) before locking`)));
  });
  return child;
}

t.test('a lock whose holder was killed with -9 is taken over at once', async (t) => {
  const root = path.join(tempDir(t), 'mlruns');
  const holder = await holdLock(t, root, 'forever');
  const exited = new Promise((resolve) => holder.on('exit', resolve));
  holder.kill('SIGKILL');
  await exited;
  t.ok(
    existsSync(path.join(root, '.irisops.trash', 'store.lock')),
    'the dead holder left its lock',
  );
  const warnings: string[] = [];
  // Stale only after 10 minutes: the write below can only go ahead because the holder is dead.
  const store = new LocalStore(root, {
    now: Date.now,
    lockStaleMs: 600_000,
    onWarning: (m) => warnings.push(m),
  });
  const experiment = await store.createExperiment('after-the-crash');
  t.equal(experiment.name, 'after-the-crash', 'the next writer took the lock and wrote');
  t.same(warnings, [], 'no waiting for a holder that is gone');
});

t.test('a live holder is waited for, and the wait is told with its pid and host', async (t) => {
  const root = path.join(tempDir(t), 'mlruns');
  const holder = await holdLock(t, root, '2500');
  const exited = new Promise((resolve) => holder.on('exit', resolve));
  const warnings: string[] = [];
  const store = new LocalStore(root, {
    now: Date.now,
    lockStaleMs: 600_000,
    onWarning: (m) => warnings.push(m),
  });
  const experiment = await store.createExperiment('after-the-wait');
  t.equal(experiment.name, 'after-the-wait');
  await exited;
  t.same(warnings, [
    `waiting for the store lock held by pid ${holder.pid} on host ${os.hostname()}`,
  ]);
});
