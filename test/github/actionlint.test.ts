import t from 'tap';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const script = fileURLToPath(new URL('../../scripts/actionlint.mjs', import.meta.url));

function actionlint(...args: string[]) {
  const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const valid = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        node: [20, 22]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: \${{ matrix.node }}
      - run: npm test
`;

t.test("the repository's own workflows pass actionlint", async (t) => {
  const r = actionlint();
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.match(r.stderr, /ci\.yml/);
  t.match(r.stderr, /release\.yml/);
});

t.test('a valid workflow given as a path passes', async (t) => {
  const dir = t.testdir({ 'ok.yml': valid });
  const r = actionlint(join(dir, 'ok.yml'));
  t.equal(r.code, 0, r.stdout + r.stderr);
  t.equal(r.stdout, '');
});

t.test('a broken workflow fails with file:line:col for each problem', async (t) => {
  const broken = valid
    .replace('${{ matrix.node }}', '${{ matrix.nod }}')
    .replace('  test:\n', '  test:\n    needs: build\n');
  const dir = t.testdir({ 'broken.yml': broken });
  const r = actionlint(dir);
  t.equal(r.code, 1);
  const lines = r.stdout.trim().split('\n');
  t.equal(lines.length, 2, r.stdout);
  t.match(r.stdout, /broken\.yml:\d+:\d+: .*"nod" is not defined.* \[expression\]/);
  t.match(r.stdout, /broken\.yml:3:3: job "test" needs job "build" which does not exist/);
});

t.test('a YAML syntax error is reported with its position, not a crash', async (t) => {
  const dir = t.testdir({ 'a.yml': 'on: push\njobs:\n  a: [\n', 'b.yml': valid });
  const r = actionlint(dir);
  t.equal(r.code, 1);
  t.match(r.stdout, /a\.yml:\d+:\d+: .* \[yaml-syntax\]/);
  t.notMatch(r.stderr, /RuntimeError/);
  t.match(r.stderr, /2 workflow file\(s\), 1 problem\(s\)/, 'the file after it is still linted');
});

t.test('nothing to lint is a failure, not a pass', async (t) => {
  const dir = t.testdir({ 'README.md': 'no workflows here' });
  t.equal(actionlint(dir).code, 1);
  t.equal(actionlint(join(dir, 'missing.yml')).code, 1);
});
