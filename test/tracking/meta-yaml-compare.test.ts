/**
 * The fast meta.yaml reader (src/tracking/local/meta-yaml.ts) against the yaml package on
 * thousands of generated documents (IRISOPS_YAML_SEED picks another sample) and on the files
 * a train writes: where it answers, it answers what YAML 1.1 reads.
 */
import fc from 'fast-check';
import t from 'tap';
import YAML from 'yaml';
import { parseSimpleMeta } from '../../src/tracking/local/meta-yaml.js';
import { dumpYaml } from '../../src/tracking/local/meta-files.js';

const yaml11 = (text: string): unknown => YAML.parse(text, { version: '1.1' });

const key = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), weight: 6 },
  {
    arbitrary: fc.constantFrom(
      'run_id',
      'tags',
      'yes',
      'No',
      'null',
      'on',
      'y',
      '__proto__',
      'a-b',
    ),
    weight: 1,
  },
);
const value = fc.oneof(
  fc.constantFrom(
    '',
    'null',
    'Null',
    '~',
    '[]',
    '{}',
    "''",
    "'it''s'",
    "'604198844345087821'",
    'None',
    'READY',
    'yes',
    'Off',
    'y',
    '0',
    '-0',
    '007',
    '0x1F',
    '1_000',
    '+5',
    '1.5',
    '.inf',
    '1e3',
    '2024-01-01',
    '1:30',
    '1796617916869',
    '12345678901234567890',
    '/tmp/mlruns/1/abc/artifacts',
    'calm-heron-41',
    'e5',
    'E-3',
    'e+12',
    'a b',
    'a #b',
    "'a",
    "'\t x '",
    "'é ☃'",
  ),
  fc.stringMatching(/^[A-Za-z0-9/._\- '#:]{0,12}$/),
  // run ids, and the 32-hex-digit strings YAML 1.1 takes for numbers
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.constantFrom(`0b${'01'.repeat(15)}`, `${'1'.repeat(16)}e${'2'.repeat(15)}`, '1'.repeat(32)),
  fc
    .tuple(fc.stringMatching(/^[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{1,20}$/))
    .map(([a, b]) => `${a}e${b}`.padStart(32, '0').slice(-32)),
  fc.integer({ min: -1e15, max: 1e15 }).map(String),
);
/** mostly what a store writes, so that many whole documents take the fast path */
const usual = fc.oneof(
  fc.constantFrom('null', "''", '[]', 'READY', 'None', '/tmp/mlruns/1/artifacts', 'calm-heron-41'),
  fc.stringMatching(/^[0-9a-f]{32}$/),
  fc.integer({ min: -1e15, max: 1e15 }).map(String),
  fc.stringMatching(/^[0-9]{1,18}$/).map((id) => `'${id}'`),
);
const separator = fc.oneof(
  { arbitrary: fc.constant(': '), weight: 10 },
  { arbitrary: fc.constantFrom(':', ':  '), weight: 1 },
);
const line = fc
  .tuple(key, separator, fc.oneof({ arbitrary: usual, weight: 3 }, { arbitrary: value, weight: 2 }))
  .map(([k, s, v]) => `${k}${s}${v}`);

t.test('a flat meta.yaml reads as yaml (YAML 1.1) reads it, or is left to yaml', async (t) => {
  const seed = Number(process.env.IRISOPS_YAML_SEED ?? 20261207);
  const docs = fc.sample(
    fc
      .tuple(
        fc.array(line, { minLength: 0, maxLength: 5 }),
        fc.oneof(
          { arbitrary: fc.constant(true), weight: 9 },
          { arbitrary: fc.constant(false), weight: 1 },
        ),
      )
      .map(([lines, newline]) => lines.join('\n') + (newline ? '\n' : '')),
    { numRuns: 3000, seed },
  );
  let fast = 0;
  for (const text of docs) {
    const got = parseSimpleMeta(text);
    if (got === null) continue;
    fast++;
    let expected: unknown;
    try {
      expected = yaml11(text);
    } catch (error) {
      t.fail(`read here, but yaml refuses it: ${JSON.stringify(text)} (${String(error)})`);
      continue;
    }
    t.strictSame(got, expected, JSON.stringify(text));
    // -0 and 0 are the same to strictSame: the sign must match too
    for (const [k, v] of Object.entries(got))
      if (v === 0)
        t.equal(Object.is(v, -0), Object.is((expected as Record<string, unknown>)[k], -0));
  }
  t.ok(fast > 300, `${fast} of ${docs.length} documents read here`);
});

t.test('the meta.yaml files a train writes are read here, to the same values', async (t) => {
  const experiment = {
    artifact_location: '/tmp/mlruns/604198844345087821',
    creation_time: 1796617916869,
    effective_trace_archival_retention: null,
    experiment_id: '604198844345087821',
    last_update_time: 1796617916869,
    lifecycle_stage: 'active',
    name: 'iris-classification',
    trace_location: null,
    workspace: 'default',
  };
  const run = {
    artifact_uri: '/tmp/mlruns/604198844345087821/054adfcdf14646c082c92788502366e3/artifacts',
    deleted_time: null,
    end_time: 1796617926337,
    entry_point_name: '',
    experiment_id: '604198844345087821',
    lifecycle_stage: 'active',
    run_id: '054adfcdf14646c082c92788502366e3',
    run_name: 'calm-heron-41',
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: 1796617925754,
    status: 3,
    tags: [],
    user_id: 'root',
  };
  const version = {
    creation_timestamp: 1796617921730,
    current_stage: 'None',
    description: null,
    name: 'iris_classifier',
    run_id: '4a234272113d4ae7ac60e8cafd987743',
    source: '/tmp/mlruns/604198844345087821/4a234272113d4ae7ac60e8cafd987743/artifacts/model',
    status: 'READY',
    user_id: null,
    version: 5,
  };
  for (const meta of [experiment, run, version]) {
    const text = dumpYaml(meta);
    t.strictSame(parseSimpleMeta(text), meta, 'read here');
    t.strictSame(yaml11(text), meta, 'as yaml reads it');
  }
});
