/**
 * The schema files in schemas/ are the contract. They are read from disk once, their
 * references to schemas/iris.schema.json (the measurements and labels, defined once) are
 * inlined, and that self-contained form is what Ajv compiles and the service serves.
 * Types come from src/schemas/generated.ts (derived from the same files by
 * scripts/gen-schema-types.mjs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Ajv2020, ErrorObject, Options, ValidateFunction } from 'ajv/dist/2020.js';

/** the package root: dist/schemas/index.js and src/schemas/index.ts both sit two levels down */
export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const schemaDir = fileURLToPath(new URL('../../schemas/', import.meta.url));

export type SchemaName =
  | 'config'
  | 'dataset'
  | 'model'
  | 'train-result'
  | 'runs-list'
  | 'run-detail'
  | 'registry-list'
  | 'promote-result'
  | (string & {});

export type JsonSchema = Record<string, unknown> & { $id: string; title?: string };

const files = new Map<string, JsonSchema>();
const bundled = new Map<string, JsonSchema>();

/** The file as written, its $refs to other files left as they are. */
export function readSchemaFile(name: SchemaName): JsonSchema {
  let schema = files.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(`${schemaDir}${name}.schema.json`, 'utf8')) as JsonSchema;
    files.set(name, schema);
  }
  return schema;
}

/** The schema with every $ref to a schema file inlined: self-contained, as served. */
export function loadSchema(name: SchemaName): JsonSchema {
  let schema = bundled.get(name);
  if (!schema) {
    schema = inlineRefs(readSchemaFile(name), readSchemaFile(name)) as JsonSchema;
    bundled.set(name, schema);
  }
  return schema;
}

const ID = /^https:\/\/irisops\.dev\/schemas\/([a-z-]+)\/v\d+\.json$/;
// a $ref's siblings may only annotate the target, never change what it accepts
const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples']);

function resolveRef(ref: string, doc: JsonSchema): { target: unknown; doc: JsonSchema } {
  const [uri = '', pointer = ''] = ref.split('#');
  let home = doc;
  if (uri !== '') {
    const name = ID.exec(uri)?.[1];
    if (!name) throw new Error(`${doc.$id}: $ref ${ref} names no schema file`);
    home = readSchemaFile(name);
    if (home.$id !== uri)
      throw new Error(`${doc.$id}: $ref ${ref}: that file's $id is ${home.$id}`);
  }
  let target: unknown = home;
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    target = (target as Record<string, unknown> | undefined)?.[key];
  }
  if (target === undefined) throw new Error(`${doc.$id}: $ref ${ref} points at nothing`);
  return { target, doc: home };
}

function inlineRefs(value: unknown, doc: JsonSchema): unknown {
  if (Array.isArray(value)) return value.map((v) => inlineRefs(v, doc));
  if (value === null || typeof value !== 'object') return value;
  const { $ref, ...rest } = value as Record<string, unknown>;
  const own = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, inlineRefs(v, doc)]));
  if (typeof $ref !== 'string') return own;
  const found = resolveRef($ref, doc);
  const target = inlineRefs(found.target, found.doc) as Record<string, unknown>;
  for (const key of Object.keys(own)) {
    if (!ANNOTATIONS.has(key) && key in target)
      throw new Error(`${doc.$id}: a sibling of $ref ${$ref} overrides its ${key}`);
  }
  return { ...target, ...own };
}

export function listSchemaNames(): string[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.schema.json'.length))
    .sort();
}

const validators = new Map<string, ValidateFunction>();
const require = createRequire(import.meta.url);

/** allErrors: every schema error reaches the user, not just the first */
export const AJV_OPTIONS: Options = { allErrors: true, strict: true, allowUnionTypes: true };

/** Where `npm run build` writes each schema's validator, compiled ahead (Ajv standalone). */
export const precompiledDir = fileURLToPath(new URL('./validators/', import.meta.url));

const ajvs = new Map<Options, Ajv2020>();

function ajvWith(options: Options): Ajv2020 {
  // loaded only when a validator was not compiled ahead (running from src/, in the tests)
  const { Ajv2020: AjvClass } = require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
  let instance = ajvs.get(options);
  if (!instance) ajvs.set(options, (instance = new AjvClass(options)));
  return instance;
}

/** The build's validator for a schema, or null when there is none (running from src/). */
function precompiled(name: string): ValidateFunction | null {
  try {
    return require(`${precompiledDir}${name}.cjs`) as ValidateFunction;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

/**
 * Compiled once per schema and reused; the built CLI loads the validator compiled at build
 * time, so a command does not pay for Ajv's code generation at every start.
 */
export function validatorFor<T = unknown>(name: SchemaName): ValidateFunction<T> {
  let v = validators.get(name);
  if (!v) {
    v = precompiled(name) ?? ajvWith(AJV_OPTIONS).compile(loadSchema(name));
    validators.set(name, v);
  }
  return v as ValidateFunction<T>;
}

/**
 * The request bodies the server reads. Their validators also remove properties a schema
 * does not list (additionalProperties: false), as the original pydantic service ignored
 * them: `__proto__`, `constructor` and any other extra key never reach a handler.
 */
export const REQUEST_SCHEMAS = [
  'predict-request',
  'batch-request',
  'invocations-request',
  'feedback-request',
  'v2-infer-request',
] as const satisfies readonly SchemaName[];
export type RequestSchemaName = (typeof REQUEST_SCHEMAS)[number];
export const REQUEST_AJV_OPTIONS: Options = { ...AJV_OPTIONS, removeAdditional: true };
/** the build's file name for a request validator, beside the plain one */
export const REQUEST_VALIDATOR_SUFFIX = '.strip';

const requestValidators = new Map<string, ValidateFunction>();

/** A request body's validator (it strips unlisted properties), compiled ahead by the build. */
export function requestValidatorFor<T = unknown>(name: RequestSchemaName): ValidateFunction<T> {
  let v = requestValidators.get(name);
  if (!v) {
    v =
      precompiled(`${name}${REQUEST_VALIDATOR_SUFFIX}`) ??
      ajvWith(REQUEST_AJV_OPTIONS).compile(loadSchema(name));
    requestValidators.set(name, v);
  }
  return v as ValidateFunction<T>;
}

export interface SchemaIssue {
  /** JSON pointer of the offending value, '' for the root */
  path: string;
  message: string;
}

export function describeErrors(errors: ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => {
    let path = e.instancePath;
    let message = e.message ?? 'is invalid';
    if (e.keyword === 'required') {
      path = `${path}/${String(e.params.missingProperty)}`;
      message = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      path = `${path}/${String(e.params.additionalProperty)}`;
      message = 'is not an allowed property';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    }
    return { path, message };
  });
}

export function formatIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => `${i.path || '(root)'} ${i.message}`).join('; ');
}
