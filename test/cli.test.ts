import t from 'tap';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from './helpers/cli.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
  version: string;
};

t.test('--version prints the package version', async (t) => {
  const r = await runCli(['--version']);
  t.equal(r.code, 0);
  t.equal(r.stdout.trim(), pkg.version);
});

t.test('--help lists every command and the exit codes', async (t) => {
  const r = await runCli(['--help']);
  t.equal(r.code, 0);
  for (const c of ['init', 'train', 'runs', 'registry', 'serve', 'ab', 'verify'])
    t.match(r.stdout, new RegExp(`\\n  ${c}\\b`));
  t.match(r.stdout, /Exit codes:/);
  for (const sub of [
    ['train'],
    ['runs', 'ls'],
    ['registry', 'promote'],
    ['registry', 'history'],
    ['registry', 'rollback'],
    ['serve'],
    ['ab', 'report'],
    ['ab', 'promote'],
    ['verify'],
    ['init'],
  ]) {
    const h = await runCli([...sub, '--help']);
    t.equal(h.code, 0, `${sub.join(' ')} --help`);
    t.match(h.stdout, /Usage: irisops/);
  }
});

t.test('usage errors exit 2 with one clear line', async (t) => {
  for (const args of [
    ['train', '--bogus'],
    ['train', '--n-estimators', '-3'],
    ['train', '--n-estimators', '2.5'],
    ['train', '--max-depth', '0'],
    ['train', '--test-size', '1.5'],
    ['train', '--test-size', '0'],
    ['registry', 'promote'],
    ['registry', 'history'],
    ['ab', 'report', '--bogus'],
    ['nonsense'],
  ]) {
    const r = await runCli(args);
    t.equal(r.code, 2, `${args.join(' ')} exits 2`);
    t.match(r.stderr, /error: /, `${args.join(' ')} says what is wrong`);
    t.equal(r.stdout, '', 'nothing on stdout');
  }
});

t.test('--help does not load heavy modules (static import graph of the CLI)', async (t) => {
  const seen = new Set<string>();
  const heavy: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? '';
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else if (
        /^(arquero|ml-random-forest|ajv|prom-client|swagger-ui-dist|@inquirer|ora|yaml|proper-lockfile)/.test(
          spec,
        )
      )
        heavy.push(`${path.relative(repoRoot, file)} imports ${spec}`);
    }
  };
  visit(path.join(repoRoot, 'dist', 'cli.js'));
  t.same(heavy, [], 'no heavy module is imported statically by the CLI entry');
  // the program's registration files, and leaf modules that import nothing of the core
  const allowed =
    /^dist\/(cli|context|errors|package-info|commands\/options|commands\/program\/[a-z-]+|rollout\/feedback)\.js$/;
  const own = [...seen].map((f) => path.relative(repoRoot, f));
  t.same(
    own.filter((f) => !allowed.test(f)),
    [],
    `the entry loads only the program's own ${own.length} small modules`,
  );
  t.ok(own.length < 20, `${own.length} own modules`);
});
