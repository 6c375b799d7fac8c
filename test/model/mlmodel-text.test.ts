/**
 * irisops' own MLmodel writer beside the `yaml` library it stands in for: wherever it writes
 * a document, the bytes are the library's; everywhere else it declines, and the library
 * writes it (dumpMlmodel). The flavor check answers only what a block-style MLmodel shows.
 */
import t from 'tap';
import { parse, Scalar, stringify } from 'yaml';
import {
  dumpMlmodel,
  mlmodelText,
  namesFlavor,
  SingleQuoted,
  type MlmodelValue,
} from '../../src/model/mlmodel-text.js';

type Doc = { [key: string]: MlmodelValue };

function byYaml(value: MlmodelValue): unknown {
  if (value instanceof SingleQuoted) {
    const scalar = new Scalar(value.text);
    scalar.type = Scalar.QUOTE_SINGLE;
    return scalar;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, byYaml(v)]));
}

const library = (doc: Doc) => stringify(byYaml(doc), { version: '1.1' });

function mlmodel(labels: string[], version = '0.1.0'): Doc {
  return {
    artifact_path: 'model',
    flavors: {
      irisops: {
        format: 'irisops-random-forest',
        format_version: 1,
        model_file: 'model.json',
        model_digest: `sha256:${'ab12'.repeat(16)}`,
        irisops_version: version,
        library: 'irisops',
        library_version: version,
        class_labels: labels,
        reference_profile: 'reference-profile.json',
        serve: 'irisops serve --model runs:/<run_id>/model',
      },
    },
    model_id: 'm-1541bb32a762451daadedded86bee85c',
    model_uuid: '8554e85ce7f24ba68be3862b2fcf6f1c',
    run_id: '39917b5f7b4643219496e5c78b86cd14',
    signature: {
      inputs: JSON.stringify([{ type: 'double', name: 'sepal_length', required: true }]),
      outputs: '[{"type":"long","name":"prediction","required":true}]',
      params: null,
    },
    utc_time_created: new SingleQuoted('2026-12-07 13:12:05.878000'),
  };
}

t.test("irisops' MLmodel is written without the library, byte for byte as it would", (t) => {
  const doc = mlmodel(['setosa', 'versicolor', 'virginica']);
  const text = mlmodelText(doc);
  t.not(text, null, 'written here');
  t.equal(text, library(doc));
  t.equal(dumpMlmodel(doc), text);
  t.end();
});

t.test('any other string: the same bytes as the library, or left to it', (t) => {
  const strings = [
    'setosa',
    'Iris-setosa',
    'iris setosa',
    'yes',
    'No',
    'null',
    '~',
    'e5',
    '1.0',
    '1.2.3',
    '10.0.1-beta',
    '123',
    '0x1f',
    '2024-01-01',
    'a: b',
    'a:b c',
    'x #y',
    'ends with colon:',
    ' leading',
    'trailing ',
    'two  spaces',
    "it's",
    '"quoted"',
    '[1, 2]',
    '{"a":"b"}',
    "{'a':1}",
    '-dash',
    '?what',
    'été',
    'tab\there',
    'line\nbreak',
    '',
    `long ${'word '.repeat(20)}end`,
    `${'w'.repeat(70)} tail`,
  ];
  let written = 0;
  for (const s of strings) {
    const docs: Doc[] = [
      { top: s },
      { nested: { deeper: { value: s } } },
      { list: [s, 'setosa'] },
      mlmodel([s, 'other'], s),
    ];
    for (const doc of docs) {
      const text = mlmodelText(doc);
      if (text !== null) {
        written++;
        t.equal(text, library(doc), `${JSON.stringify(s)} written as the library writes it`);
      }
      const dumped = dumpMlmodel(doc);
      t.same(parse(dumped, { version: '1.1' }), parse(library(doc), { version: '1.1' }));
    }
  }
  t.ok(written > 20, `most are written here (${written})`);
  t.end();
});

t.test('single-quoted text: as the library quotes it, or left to it', (t) => {
  for (const text of ['2026-12-07 13:12:05.878000', `${'word '.repeat(20)}end`, "it's", 'a']) {
    const doc = { utc_time_created: new SingleQuoted(text) };
    const written = mlmodelText(doc);
    if (written !== null) t.equal(written, library(doc), JSON.stringify(text));
    t.equal(dumpMlmodel(doc), library(doc));
  }
  t.not(mlmodelText({ utc_time_created: new SingleQuoted('2026-12-07 13:12:05.878000') }), null);
  t.end();
});

t.test('numbers, nulls and empty values', (t) => {
  t.equal(mlmodelText({ a: 1, b: null }), 'a: 1\nb: null\n');
  for (const doc of [{ a: 1.5 }, { a: [] }, { a: {} }, {}, { 'a b': 'x' }, { yes: 'x' }] as Doc[])
    t.equal(mlmodelText(doc), null, JSON.stringify(doc));
  t.end();
});

t.test('the flavor check answers only for a block-style flavors mapping', (t) => {
  const ours = mlmodelText(mlmodel(['setosa'])) as string;
  t.ok(namesFlavor(ours, 'irisops'));
  t.notOk(namesFlavor(ours, 'sklearn'));
  t.notOk(namesFlavor('flavors:\n  sklearn:\n    pickled_model: model.pkl\n', 'irisops'));
  t.notOk(namesFlavor('flavors: {irisops: {}}\n', 'irisops'), 'flow style: asked of yaml');
  t.notOk(namesFlavor('run_id: x\n', 'irisops'));
  t.notOk(
    namesFlavor('flavors:\n  sklearn: {}\nother:\n  irisops:\n', 'irisops'),
    'under another key',
  );
  t.notOk(namesFlavor('flavors:\n    irisops:\n', 'irisops'), 'deeper than a flavor name');
  t.end();
});
