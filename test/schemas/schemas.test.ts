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
