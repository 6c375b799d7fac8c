import t from 'tap';
import { listSchemaNames, loadSchema, validatorFor } from '../../src/schemas/index.js';

t.test('every schema compiles under strict Ajv and has a versioned $id and a title', async (t) => {
  const names = listSchemaNames();
  t.ok(names.includes('config'));
  for (const name of names) {
    const schema = loadSchema(name);
    t.match(schema.$id, /^https:\/\/irisops\.dev\/schemas\/[a-z-]+\/v\d+\.json$/, `${name} $id`);
    t.type(schema.title, 'string', `${name} title`);
    t.type(validatorFor(name), 'function');
  }
});

t.test('schemas are self-contained: every $ref points inside its own file', async (t) => {
  const refs: string[] = [];
  const walk = (value: unknown, name: string) => {
    if (Array.isArray(value)) value.forEach((v) => walk(v, name));
    else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === '$ref' && typeof v === 'string' && !v.startsWith('#')) refs.push(`${name}: ${v}`);
        walk(v, name);
      }
    }
  };
  for (const name of listSchemaNames()) walk(loadSchema(name), name);
  t.same(refs, []);
});

t.test(
  'a change to any schema file is deliberate (snapshot; update with: npx tap --snapshot test/schemas)',
  async (t) => {
    const all = Object.fromEntries(listSchemaNames().map((name) => [name, loadSchema(name)]));
    t.matchSnapshot(JSON.stringify(all, null, 2), 'every schema in schemas/');
  },
);
