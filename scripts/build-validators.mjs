// Compiles every schema's validator ahead of time (Ajv standalone code) into
// dist/schemas/validators/<name>.cjs, from the same self-contained form the running program
// would compile, with the same options: a command then loads a small module instead of
// running Ajv's code generation at every start. Run by `npm run build`, after tsc.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneCode from 'ajv/dist/standalone/index.js';
import {
  AJV_OPTIONS,
  listSchemaNames,
  loadSchema,
  precompiledDir,
  REQUEST_AJV_OPTIONS,
  REQUEST_SCHEMAS,
  REQUEST_VALIDATOR_SUFFIX,
} from '../dist/schemas/index.js';

rmSync(precompiledDir, { recursive: true, force: true });
mkdirSync(precompiledDir, { recursive: true });
/** Writes one standalone validator, headed by the digest of the schema it was compiled from. */
function build(name, options, file) {
  const schema = loadSchema(name);
  const ajv = new Ajv2020({ ...options, code: { source: true } });
  const validate = ajv.compile(schema);
  // the digest of what was compiled: a test compares it with the schema files as they are now
  const digest = createHash('sha256').update(JSON.stringify(schema)).digest('hex');
  const code = `// ${name}.schema.json sha256:${digest}\n${standaloneCode(ajv, validate)}`;
  writeFileSync(`${precompiledDir}${file}.cjs`, code);
}

const names = listSchemaNames();
for (const name of names) build(name, AJV_OPTIONS, name);
// the server's request bodies, with the option that strips unlisted properties
for (const name of REQUEST_SCHEMAS)
  build(name, REQUEST_AJV_OPTIONS, `${name}${REQUEST_VALIDATOR_SUFFIX}`);
console.log(
  `validators compiled ahead: ${names.length} schemas and ${REQUEST_SCHEMAS.length} request ` +
    'bodies in dist/schemas/validators/',
);
