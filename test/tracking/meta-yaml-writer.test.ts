/**
 * The fast meta.yaml writer (dumpSimpleMeta in src/tracking/local/meta-yaml.ts) against the
 * yaml package on thousands of generated mappings (IRISOPS_YAML_SEED picks another sample):
 * where it answers, it writes byte for byte what dumpYaml's `yaml` call writes, and the fast
 * reader reads it back to the same values.
 */
import fc from 'fast-check';
import t from 'tap';
import YAML from 'yaml';
import { dumpYaml } from '../../src/tracking/local/meta-files.js';
import { dumpSimpleMeta, parseSimpleMeta } from '../../src/tracking/local/meta-yaml.js';

const viaYaml = (meta: Record<string, unknown>): string =>
  YAML.stringify(meta, { version: '1.1', sortMapEntries: true, singleQuote: true, lineWidth: 0 });

const key = fc.oneof(
  { arbitrary: fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.]{0,8}$/), weight: 6 },
  {
    arbitrary: fc.constantFrom('run_id', 'tags', 'yes', 'No', 'null', 'on', 'y', 'a-b', 'e5', 'B'),
    weight: 1,
  },
);
const text = fc.oneof(
  fc.constantFrom(
    '',
    'null',
    'Null',
    '~',
    'yes',
    'Off',
    'y',
    '0',
    '007',
    '0x1F',
    '0b101',
    '1_000',
    '1.5',
    '.inf',
    '1e3',
    'e5',
    'E-3',
    '2024-01-01',
    '1:30',
    'a:',
    'file:///tmp/x',
    '/tmp/mlruns/1/abc/artifacts',
    'calm-heron-41-t001',
    'user@host',
    'a b',
    'a #b',
    "it's",
    '{"num_rows":150}',
    '{"a": "it\'s"}',
    "{'a': 1}",
    '[1, 2]',
    '{"a":\n1}',
    '{"é": 1}',
    '{"a": "\t"}',
    '{"a": 1} ',
    '[',
  ),
  fc.stringMatching(/^[A-Za-z0-9/._\-@+ '"#:{}[\],]{0,12}$/),
  fc.stringMatching(/^[[{][ -~]{0,12}$/),
  fc.stringMatching(/^[0-9a-f]{1,32}$/),
  fc.stringMatching(/^[0-9]{1,20}$/),
);
const scalar = fc.oneof(
  { arbitrary: text, weight: 6 },
  {
    arbitrary: fc.oneof(
      fc.constant(null),
      fc.integer({ min: -1e15, max: 1e15 }),
      fc.constant(1.5),
      fc.constant(true),
      // fresh objects: one object twice in a document is written by yaml as an anchor
      fc.constant(0).map(() => []),
      fc.constant(0).map(() => ({})),
      fc.constant(0).map(() => ['x']),
    ),
    weight: 2,
  },
);
const nested = fc.dictionary(key, fc.oneof(text, fc.integer(), fc.constant(null)), {
  maxKeys: 3,
});
const meta = fc.dictionary(
  key,
  fc.oneof({ arbitrary: scalar, weight: 8 }, { arbitrary: nested, weight: 1 }),
  {
    minKeys: 1,
    maxKeys: 6,
  },
);

t.test('where the fast writer answers, it writes what yaml writes', async (t) => {
  const seed = Number(process.env.IRISOPS_YAML_SEED ?? 20261207);
  let fast = 0;
  for (const m of fc.sample(meta, { numRuns: 4000, seed })) {
    const got = dumpSimpleMeta(m);
    if (got === null) continue;
    fast++;
    t.equal(got, viaYaml(m), JSON.stringify(m));
    t.strictSame(parseSimpleMeta(got), YAML.parse(got, { version: '1.1' }), 'read back the same');
  }
  t.ok(fast > 400, `${fast} of 4000 mappings written here`);
});

t.test('the meta.yaml files a sweep writes take the fast path', async (t) => {
  const run = {
    artifact_uri: '/tmp/mlruns/604198844345087821/178fbf4bbd4d4f64988a24ee46a04ee3/artifacts',
    deleted_time: null,
    end_time: 1796626606035,
    entry_point_name: '',
    experiment_id: '604198844345087821',
    lifecycle_stage: 'active',
    run_id: '178fbf4bbd4d4f64988a24ee46a04ee3',
    run_name: 'swift-petal-201-t012',
    source_name: '',
    source_type: 4,
    source_version: '',
    start_time: 1796626605876,
    status: 3,
    tags: [],
    user_id: 'root',
  };
  const dataset = {
    digest: '9cc1c345c71bcc9b486b74cbf6063fa6',
    name: 'iris',
    profile: '{"num_rows":150,"num_elements":750}',
    schema: '{"mlflow_colspec":[{"type":"double","name":"sepal_length","required":true}]}',
    source: '{"uri":"file:///work/data/iris.csv"}',
    source_type: 'local',
  };
  const input = {
    destination_id: '288c6c6da972bd2931196d82c4cdb675',
    destination_type: 'RUN',
    source_id: '288c6c6da972bd2931196d82c4cdb675',
    source_type: 'DATASET',
    tags: { 'mlflow.data.context': 'training' },
  };
  for (const m of [run, dataset, input]) {
    t.equal(dumpSimpleMeta(m), viaYaml(m), 'written here, as yaml writes it');
    t.equal(dumpYaml(m), viaYaml(m));
  }
});

t.test('what the fast writer is not sure of is left to yaml', async (t) => {
  for (const m of [
    { v: 1.5 },
    { v: true },
    { v: 'a b' },
    { v: '{"a":\n1}' },
    { v: '{"é": 1}' },
    { v: "{'a': 1}" },
    { tags: { k: null } },
    { tags: { k: { deeper: 'x' } } },
    { 'bad key': 'x' },
    {},
  ]) {
    t.equal(dumpSimpleMeta(m), null, JSON.stringify(m));
    t.equal(dumpYaml(m), viaYaml(m), 'dumpYaml still writes it');
  }
});
