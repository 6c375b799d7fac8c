/**
 * The validators `npm run build` compiles ahead (dist/schemas/validators/) are those of the
 * schema files as they are now, and judge values as Ajv compiling at run time does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import t from 'tap';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import {
  AJV_OPTIONS,
  listSchemaNames,
  loadSchema,
  REQUEST_AJV_OPTIONS,
  REQUEST_SCHEMAS,
  REQUEST_VALIDATOR_SUFFIX,
} from '../../src/schemas/index.js';
import { repoRoot } from '../helpers/cli.js';

const dir = path.join(repoRoot, 'dist', 'schemas', 'validators');
const require = createRequire(import.meta.url);

t.test('one validator per schema file, compiled from its current form', async (t) => {
  const files = [
    ...listSchemaNames().map((name) => [name, name]),
    ...REQUEST_SCHEMAS.map((name) => [name, `${name}${REQUEST_VALIDATOR_SUFFIX}`]),
  ];
  for (const [name, base] of files as [string, string][]) {
    const file = path.join(dir, `${base}.cjs`);
    if (!t.ok(existsSync(file), `${base}.cjs was built`)) continue;
    const digest = createHash('sha256')
      .update(JSON.stringify(loadSchema(name)))
      .digest('hex');
    t.equal(
      readFileSync(file, 'utf8').split('\n')[0],
      `// ${name}.schema.json sha256:${digest}`,
      `${name}: built from the schema as it is (else: npm run build)`,
    );
  }
});

t.test('a precompiled validator judges as the run-time one does, errors included', async (t) => {
  const ajv = new Ajv2020(AJV_OPTIONS);
  const cases: Record<string, unknown[]> = {
    dataset: [
      {
        sepal_length: 5.1,
        sepal_width: 3.5,
        petal_length: 1.4,
        petal_width: 0.2,
        species: 'setosa',
      },
      { sepal_length: 11, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2, species: 'rose' },
      { sepal_length: '5.1' },
    ],
    config: [{ tracking_uri: './mlruns', alias: 'production' }, { alias: 'latest' }, { port: -1 }],
    'predict-request': [
      { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
      { sepal_length: 5.1, extra: true },
      [],
    ],
  };
  for (const [name, values] of Object.entries(cases)) {
    const built = require(path.join(dir, `${name}.cjs`)) as ValidateFunction;
    const live = ajv.compile(loadSchema(name));
    for (const value of values) {
      const ok = built(value);
      t.equal(ok, live(value), `${name}: same verdict on ${JSON.stringify(value)}`);
      t.same(built.errors ?? null, live.errors ?? null, 'and the same errors');
    }
  }
});

t.test('a request validator strips what its schema does not list, as at run time', async (t) => {
  const ajv = new Ajv2020(REQUEST_AJV_OPTIONS);
  const flower = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  const values = [
    { features: { ...flower, extra: 1 }, note: 'x' },
    JSON.parse(`{"features":${JSON.stringify(flower)},"__proto__":{"polluted":true}}`) as unknown,
    { features: { sepal_length: 'a' } },
  ];
  const built = require(
    path.join(dir, `predict-request${REQUEST_VALIDATOR_SUFFIX}.cjs`),
  ) as ValidateFunction;
  const live = ajv.compile(loadSchema('predict-request'));
  for (const value of values) {
    const a = structuredClone(value);
    const b = structuredClone(value);
    t.equal(built(a), live(b), `same verdict on ${JSON.stringify(value)}`);
    t.same(a, b, 'the same properties removed');
    t.same(built.errors ?? null, live.errors ?? null, 'and the same errors');
  }
  const stripped = structuredClone(values[0]) as { features: Record<string, unknown> };
  t.ok(built(stripped));
  t.same(stripped, { features: flower }, 'extra keys are gone');
});
