/**
 * The schema files in schemas/ are the contract. They are read from disk once, compiled by
 * Ajv once, and served as-is. Types come from src/schemas/generated.ts (derived from the
 * same files by scripts/gen-schema-types.mjs).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';

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

const cache = new Map<string, JsonSchema>();

export function loadSchema(name: SchemaName): JsonSchema {
  let schema = cache.get(name);
  if (!schema) {
    schema = JSON.parse(readFileSync(`${schemaDir}${name}.schema.json`, 'utf8')) as JsonSchema;
    cache.set(name, schema);
  }
  return schema;
}

export function listSchemaNames(): string[] {
  return readdirSync(schemaDir)
    .filter((f) => f.endsWith('.schema.json'))
    .map((f) => f.slice(0, -'.schema.json'.length))
    .sort();
}

let ajv: Ajv2020 | undefined;
const validators = new Map<string, ValidateFunction>();

export interface AjvOptionsOverride {
  removeAdditional?: boolean | 'all' | 'failing';
}

function getAjv(): Ajv2020 {
  // allErrors: every schema error reaches the user, not just the first
  ajv ??= new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  return ajv;
}

/** Compiled once per schema and reused. */
export function validatorFor<T = unknown>(name: SchemaName): ValidateFunction<T> {
  let v = validators.get(name);
  if (!v) {
    v = getAjv().compile(loadSchema(name));
    validators.set(name, v);
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
