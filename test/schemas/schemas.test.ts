import t from 'tap';
import {
  listSchemaNames,
  loadSchema,
  readSchemaFile,
  validatorFor,
} from '../../src/schemas/index.js';
import { CLASSES, FEATURES, LABEL, MEASUREMENT_RANGE } from '../../src/schemas/iris.js';

t.test('every schema compiles under strict Ajv and has a versioned $id and a title', async (t) => {
  const names = listSchemaNames();
  t.ok(names.includes('config'));
  for (const name of names) {
    const schema = loadSchema(name);
    // the $id names the file it lives in, with the contract's version
    t.equal(schema.$id?.replace(/\/v\d+\.json$/, ''), `https://irisops.dev/schemas/${name}`);
    t.match(schema.$id, /\/v\d+\.json$/, `${name} $id`);
    t.type(schema.title, 'string', `${name} title`);
    t.type(validatorFor(name), 'function');
  }
});

function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') found.push(v);
      refsIn(v, found);
    }
  }
  return found;
}

t.test(
  'schema files $ref their own $defs or the definitions in schemas/iris.schema.json',
  async (t) => {
    const iris = readSchemaFile('iris') as unknown as { $defs: Record<string, unknown> };
    for (const name of listSchemaNames()) {
      for (const ref of refsIn(readSchemaFile(name)).filter((r) => !r.startsWith('#'))) {
        const m = /^https:\/\/irisops\.dev\/schemas\/iris\/v1\.json#\/\$defs\/([a-z_]+)/.exec(ref);
        t.ok(m && m[1]! in iris.$defs, `${name}: ${ref}`);
      }
    }
    t.ok(
      refsIn(readSchemaFile('predict-request')).length > 0,
      'predict-request uses the definitions',
    );
  },
);

t.test('schemas as loaded (and served) are self-contained: no $ref is left', async (t) => {
  for (const name of listSchemaNames()) t.same(refsIn(loadSchema(name)), [], name);
  const features = (
    loadSchema('predict-request') as unknown as { properties: { features: unknown } }
  ).properties.features;
  t.match(features, {
    type: 'object',
    required: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'],
    properties: {
      sepal_length: { type: 'number', minimum: 0, maximum: 10, description: /sepal length/ },
    },
  });
});

t.test('the contract module reads names, range and labels from iris.schema.json', async (t) => {
  const iris = readSchemaFile('iris') as unknown as {
    $defs: { features: { properties: object }; species: { enum: string[] } };
  };
  t.same(FEATURES, Object.keys(iris.$defs.features.properties));
  t.same(FEATURES, ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']);
  t.same(CLASSES, iris.$defs.species.enum);
  t.same(MEASUREMENT_RANGE, { min: 0, max: 10 });
  t.equal(LABEL, 'species');
  const validate = validatorFor('dataset');
  const row = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  t.ok(validate({ ...row, species: 'setosa' }));
  t.notOk(validate({ ...row, species: 'rose' }), 'labels come from the definitions');
  t.notOk(validate({ ...row, petal_width: 10.5, species: 'setosa' }), 'so does the range');
});

t.test(
  'a change to any schema file is deliberate (snapshot; update with: npx tap --snapshot test/schemas)',
  async (t) => {
    const all = Object.fromEntries(listSchemaNames().map((name) => [name, loadSchema(name)]));
    t.matchSnapshot(JSON.stringify(all, null, 2), 'every schema in schemas/');
  },
);
