/**
 * Disk and permission faults through the real CLI: a store the user cannot write (run as
 * `nobody`), a full disk (a small tmpfs, filled to different depths so ENOSPC strikes at
 * different points of a train), and meta.yaml files holding garbage. Each gives a clear
 * error and a non-zero exit, and leaves every other file as it was.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import t from 'tap';
import YAML from 'yaml';
import { nobody, runAs, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';
import { reportFigures, snapshot, walkFiles } from './helpers.js';

const TRAIN = ['train', '--n-estimators', '5', '--json'];
/** free space left before each train, in KiB: from nothing to more than a whole train */
const FREE_KIB = [0, 16, 48, 64, 80, 96, 112, 128, 160, 256];

/** The error a failed command printed: one `error:` line (plus an optional hint), no stack. */
function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => /^(error|hint): /.test(l) || /^\s+at /.test(l));
}

function noStrays(root: string): string[] {
  return walkFiles(root).filter(
    (f) => !f.startsWith('.irisops.trash/') && /(^|\/)\.|\.tmp$|\.tmp\//.test(f),
  );
}

function unparsableMetas(root: string): string[] {
  return walkFiles(root)
    .filter((f) => f.endsWith('meta.yaml') && !f.startsWith('.irisops.trash/'))
    .filter((f) => {
      try {
        const v: unknown = YAML.parse(readFileSync(path.join(root, f), 'utf8'));
        return typeof v !== 'object' || v === null;
      } catch {
        return true;
      }
    });
}

const user = nobody();

t.test(
  'a store the user cannot write: writes fail in one clear line, reads work, nothing changes',
  { skip: user === null ? 'needs root and a "nobody" account to switch to' : false },
  async (t) => {
    const cwd = tempDir(t);
    chmodSync(cwd, 0o755);
    t.equal((await runCli(TRAIN, { cwd })).code, 0, 'root trains v1');
    const root = path.join(cwd, 'mlruns');
    const before = snapshot(root);
    const as = user as { uid: number; gid: number };

    for (const args of [
      TRAIN,
      ['registry', 'promote', 'iris_classifier', '1'],
      ['registry', 'promote', 'iris_classifier', '1', '--json'],
    ]) {
      const r = await runAs(as, args, cwd);
      t.equal(r.code, 1, `${args.join(' ')} exits 1`);
      t.equal(r.stdout, '', 'prints nothing on stdout');
      const lines = errorLines(r.stderr);
      t.match(lines[0], /^error: .*permission denied \(EACCES\)/, lines[0] ?? '');
      t.match(lines[0], root, 'naming the store');
      t.notOk(
        lines.some((l) => /^\s+at /.test(l)),
        'no stack trace',
        { stderr: r.stderr },
      );
    }
    const ls = await runAs(as, ['runs', 'ls', '--json'], cwd);
    t.equal(ls.code, 0, 'runs ls works read-only');
    t.equal((JSON.parse(ls.stdout) as { runs: unknown[] }).runs.length, 1);
    t.equal((await runAs(as, ['registry', 'ls', '--json'], cwd)).code, 0, 'registry ls too');
    t.same(snapshot(root), before, 'not one byte changed in the store');
  },
);

function tryMount(dir: string, size: string): string | null {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return 'needs root on Linux';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  return r.status === 0 ? null : `mount -t tmpfs not permitted: ${r.stderr.trim()}`;
}

t.test('a full disk: train fails with ENOSPC, earlier runs intact, then recovers', async (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'irisops-full-'));
  const refused = tryMount(dir, '4m');
  if (refused !== null) {
    rmSync(dir, { recursive: true, force: true });
    t.plan(0, refused);
    return;
  }
  t.teardown(() => {
    spawnSync('umount', ['-l', dir]);
    rmSync(dir, { recursive: true, force: true });
  });
  const cwd = path.join(dir, 'project');
  mkdirSync(cwd);
  const root = path.join(cwd, 'mlruns');
  const filler = path.join(dir, 'filler');
  t.equal((await runCli(TRAIN, { cwd })).code, 0, 'v1 fits');

  const outcomes: Record<string, number> = {};
  let versions = 1;
  // leave this much free, in KiB: from nothing to about one whole train
  for (const freeKiB of FREE_KIB) {
    rmSync(filler, { force: true });
    const fs = statfsSync(dir);
    const free = fs.bavail * fs.bsize;
    writeFileSync(filler, Buffer.alloc(Math.max(0, free - freeKiB * 1024)));
    const before = snapshot(root);
    const r = await runCli(TRAIN, { cwd });
    const key = r.code === 0 ? 'trained' : 'ENOSPC';
    outcomes[key] = (outcomes[key] ?? 0) + 1;
    if (r.code === 0) {
      versions++;
      continue;
    }
    t.equal(r.code, 1, `${freeKiB} KiB free: exit 1`, { signal: r.signal, stderr: r.stderr });
    t.equal(r.stdout, '', 'nothing on stdout');
    const lines = errorLines(r.stderr);
    t.match(lines[0], /^error: .*no space left on device \(ENOSPC\)/, lines[0] ?? '');
    t.notMatch(lines[0], /irisops-train-/, 'naming the store file, not the staging copy');
    t.match(lines[1], /^hint: free some space/);
    const after = snapshot(root);
    const changed = Object.keys(before).filter((f) => after[f] !== before[f]);
    t.same(changed, [], 'every file that was there is unchanged');
    t.same(noStrays(root), [], 'no temp file where MLflow looks');
    t.same(unparsableMetas(root), [], 'every meta.yaml parses');
    // a lock whose owner file hit ENOSPC once stayed behind and held up the next train
    t.notOk(existsSync(path.join(root, '.irisops.trash', 'store.lock')), 'no lock left behind');
  }
  rmSync(filler, { force: true });
  const ls = await runCli(['runs', 'ls', '--json'], { cwd });
  t.equal(ls.code, 0, 'runs ls works after it all');
  const runs = (JSON.parse(ls.stdout) as { runs: { status: string; stale: boolean }[] }).runs;
  t.ok(
    runs.every((r) => r.status === 'FINISHED' || r.status === 'FAILED' || r.stale),
    'each run is FINISHED, FAILED, or RUNNING flagged stale',
  );
  const next = await runCli(TRAIN, { cwd });
  t.equal(next.code, 0, 'with space again, train works', {
    stderr: next.stderr,
    df: statfsSync(dir),
  });
  if (next.code === 0)
    t.equal(
      (JSON.parse(next.stdout) as { registered_model: { version: string } }).registered_model
        .version,
      String(versions + 1),
      'and the next version follows on',
    );
  reportFigures(t, 'full-disk', { fills: FREE_KIB.length, outcomes, runs: runs.length });
});

t.test('meta.yaml with garbage: clear errors, non-zero exits, nothing else touched', async (t) => {
  const cwd = tempDir(t);
  const root = path.join(cwd, 'mlruns');
  const first = await runCli(TRAIN, { cwd });
  const second = await runCli(TRAIN, { cwd });
  const run = JSON.parse(second.stdout) as { run_id: string; experiment_id: string };
  t.same([first.code, second.code], [0, 0], 'two trains');
  const garbage = [
    '{{{: [not yaml',
    '',
    Buffer.from([0, 1, 2, 0xff, 0xfe]).toString('latin1'),
    '- a list\n- not a mapping\n',
  ];
  const targets: Array<{ file: string; commands: string[][] }> = [
    {
      file: path.join(root, run.experiment_id, run.run_id, 'meta.yaml'),
      commands: [
        ['runs', 'show', run.run_id],
        ['registry', 'ls'],
      ],
    },
    {
      file: path.join(root, run.experiment_id, 'meta.yaml'),
      commands: [['runs', 'ls'], TRAIN],
    },
    {
      file: path.join(root, 'models', 'iris_classifier', 'meta.yaml'),
      commands: [['registry', 'promote', 'iris_classifier', '1']],
    },
    {
      file: path.join(root, 'models', 'iris_classifier', 'version-1', 'meta.yaml'),
      commands: [['registry', 'promote', 'iris_classifier', '1']],
    },
  ];
  let checked = 0;
  for (const { file, commands } of targets) {
    const good = readFileSync(file);
    for (const bad of garbage) {
      writeFileSync(file, bad, 'latin1');
      const before = snapshot(root);
      for (const args of commands) {
        const r = await runCli(args, { cwd });
        const rel = path.relative(root, file);
        t.equal(
          r.code,
          1,
          `${rel} = ${JSON.stringify(bad.slice(0, 12))}: ${args.join(' ')} exits 1`,
        );
        const lines = errorLines(r.stderr);
        t.match(lines[0], /^error: .*meta\.yaml is not a valid MLflow file/, lines[0] ?? '');
        t.ok(lines[0]?.includes(file), 'naming the damaged file');
        t.notOk(
          lines.some((l) => /^\s+at /.test(l)),
          'no stack trace',
        );
        const after = snapshot(root);
        // a train that fails at logging writes nothing; one that fails at registering keeps
        // its (FINISHED) run: either way no file that was there changes
        t.same(
          Object.keys(before).filter((f) => after[f] !== before[f]),
          [],
          'no other file changed',
        );
        checked++;
      }
      writeFileSync(file, good);
    }
  }

  // Like MLflow's own FileStore, listings skip an unreadable entry; irisops says which.
  const runMeta = path.join(root, run.experiment_id, run.run_id, 'meta.yaml');
  const goodRunMeta = readFileSync(runMeta);
  writeFileSync(runMeta, '{{{');
  const ls = await runCli(['runs', 'ls', '--json'], { cwd });
  t.equal(ls.code, 0, 'runs ls still lists the readable runs');
  t.match(
    ls.stderr,
    /warning: skipped a damaged run: .*meta\.yaml/,
    'and says which run it could not read',
  );
  t.doesNotThrow(() => JSON.parse(ls.stdout), 'stdout stays one JSON document');
  writeFileSync(runMeta, goodRunMeta);
  const modelMeta = path.join(root, 'models', 'iris_classifier', 'meta.yaml');
  const goodModelMeta = readFileSync(modelMeta);
  writeFileSync(modelMeta, '{{{');
  const rls = await runCli(['registry', 'ls', '--json'], { cwd });
  t.match(
    rls.stderr,
    /warning: skipped a damaged registered model: .*meta\.yaml/,
    'registry ls reports the unreadable model',
  );
  writeFileSync(modelMeta, goodModelMeta);
  reportFigures(t, 'garbage-meta', {
    files: targets.length,
    variants: garbage.length,
    commands: checked,
  });
});
