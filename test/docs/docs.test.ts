/**
 * README.md and WORKSHOP_GUIDE.md are tested: every ```bash / ```sh block carries a
 * `doc-test` marker (see blocks.ts), and each document's run blocks execute in order, with
 * `bash -e`, in a fresh empty folder, against the packed tarball installed as npx installs
 * it — the irisops a reader gets from npm, not this source tree. `npx irisops …` runs that
 * install.
 */
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv, repoRoot } from '../helpers/cli.js';
import { packedIrisops, pathWithPacked } from '../helpers/packed.js';
import { tempDir } from '../helpers/temp.js';
import { closedPort } from '../verify/helpers.js';
import { parseDoc, scriptFor, type ShellBlock } from './blocks.js';

const DOC_TIMEOUT_MS = 90_000;

interface DocCase {
  file: string;
  /** what the document says the reader sees, checked on the run's output */
  expect: (t: Test, out: { stdout: string; stderr: string }) => void;
}

const docs: DocCase[] = [
  {
    file: 'README.md',
    expect: (t, { stdout }) => {
      t.match(stdout, /"prediction_label":"setosa"/, 'the curl predicts setosa');
      t.match(stdout, /^all green: /m, 'irisops verify is all green');
    },
  },
  {
    file: 'WORKSHOP_GUIDE.md',
    expect: (t, { stdout, stderr }) => {
      t.match(stdout, /created +irisops\.config\.json/, 'init lists the files it wrote');
      t.match(
        stdout,
        /^9cc1c345\S*e8e355 +data\/iris\.csv$/m,
        'the data digest is 9cc1c345…e8e355',
      );
      t.match(stdout, /✔ data +data\/iris\.csv: 150 rows/, 'the data check passes');
      t.match(
        stderr,
        /iris_classifier version 2 \(@production\)/,
        'serve names the promoted model',
      );
      t.match(stdout, /"prediction_label":"setosa"/, 'the curl predicts setosa');
      t.match(stdout, /"status":422/, 'the bad request is a 422');
      t.match(stdout, /^all green: /m, 'irisops verify is all green');
    },
  },
];

const parsed = docs.map((d) => {
  const markdown = readFileSync(path.join(repoRoot, d.file), 'utf8');
  return { ...d, ...parseDoc(markdown) };
});

t.test('every shell block of the documents has a doc-test marker', async (t) => {
  for (const doc of parsed) {
    t.ok(doc.blocks.length > 0, `${doc.file} has shell blocks`);
    t.same(
      doc.blocks.filter((b) => b.marker.kind === 'missing').map((b) => `${doc.file}:${b.line}`),
      [],
      `${doc.file}: a "<!-- doc-test: run | background | skip <reason> -->" line before each block`,
    );
    t.same(
      doc.strayMarkers.map((l) => `${doc.file}:${l}`),
      [],
      `${doc.file}: every marker is a valid one, right before a bash/sh block`,
    );
  }
});

t.test('the marker check catches an unmarked block, a bad marker and a stray one', async (t) => {
  const doc = parseDoc(
    [
      '<!-- doc-test: run -->',
      '```bash',
      'echo one',
      '```',
      '```sh',
      'echo unmarked',
      '```',
      '<!-- doc-test: skip -->',
      '```bash',
      'echo no reason',
      '```',
      '<!-- doc-test: run -->',
      'a paragraph between the marker and its block',
      '',
      '```bash',
      'echo marker too far',
      '```',
      '<!-- doc-test: background -->',
      '',
      '```bash',
      'echo after a blank line',
      '```',
      '```json',
      '{}',
      '```',
    ].join('\n'),
  );
  t.same(
    doc.blocks.map((b) => [b.line, b.marker.kind]),
    [
      [2, 'run'],
      [5, 'missing'],
      [9, 'missing'],
      [15, 'missing'],
      [20, 'background'],
    ],
  );
  t.same(doc.strayMarkers, [8, 12]);
});

/**
 * `npx irisops` → the installed tarball (never the registry's irisops). A script rather than a shell function, so
 * that it can exec: `npx irisops serve &` is then the server's own pid, which the script's
 * EXIT trap stops with SIGTERM.
 */
function npxShim(dir: string): string {
  mkdirSync(dir);
  const npx = path.join(dir, 'npx');
  writeFileSync(
    npx,
    [
      '#!/bin/sh',
      'if [ "$1" = irisops ]; then shift; exec irisops "$@"; fi',
      'echo "doc-test: only \'npx irisops\' is available here (got npx $*)" >&2',
      'exit 127',
      '',
    ].join('\n'),
  );
  chmodSync(npx, 0o755);
  return dir;
}

interface BashResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** bash -e SCRIPT in its own process group, killed whole on timeout and after it exits. */
function runBash(
  script: string,
  cwd: string,
  env: Record<string, string>,
  timeoutMs: number,
): Promise<BashResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', script], {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    // a background job the script failed to stop would hold the pipes open: end it too
    child.on('exit', () => killGroup('SIGKILL'));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
  });
}

const tail = (s: string, n = 60) => s.split('\n').slice(-n).join('\n');

t.test('the documents run against the packed tarball, in an empty folder', async (t) => {
  const packed = packedIrisops();
  const shims = npxShim(path.join(tempDir(t, 'irisops-doc-shims-'), 'bin'));

  for (const doc of parsed) {
    await t.test(doc.file, async (t) => {
      for (const b of doc.blocks.filter(
        (b): b is ShellBlock & { marker: { kind: 'skip'; reason: string } } =>
          b.marker.kind === 'skip',
      )) {
        t.test(
          `${doc.file}:${b.line} ${b.body.split('\n')[0] ?? ''}`,
          { skip: b.marker.reason },
          () => {},
        );
      }
      const folder = tempDir(t, 'irisops-doc-');
      const script = path.join(tempDir(t, 'irisops-doc-script-'), 'doc.sh');
      writeFileSync(script, scriptFor(doc.file, doc.blocks));
      const port = await closedPort();
      const env = cleanEnv({
        PATH: `${shims}${path.delimiter}${pathWithPacked(packed)}`,
        PORT: String(port),
        NODE_ENV: 'test',
      });
      const started = Date.now();
      const r = await runBash(script, folder, env, DOC_TIMEOUT_MS);
      t.comment(`${doc.file}: ran in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      t.notOk(r.timedOut, `finishes within ${DOC_TIMEOUT_MS / 1000} s`);
      t.equal(r.code, 0, 'every run block succeeds', {
        stdout: tail(r.stdout),
        stderr: tail(r.stderr),
      });
      doc.expect(t, r);
    });
  }
});
