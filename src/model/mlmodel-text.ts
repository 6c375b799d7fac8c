/**
 * MLmodel's text without the `yaml` library, which costs a train tens of milliseconds to load
 * for this one small file. It writes what `yaml`'s stringify(doc, { version: '1.1' }) writes,
 * byte for byte, for documents of the shape irisops writes (mappings in insertion order,
 * lists of scalars, strings, integers, null), and returns null for anything it is not sure
 * of, which the caller then hands to `yaml` (a test holds the two side by side).
 */
import { yamlModule } from '../yaml-module.js';
import { isPlainKey, isPlainString } from '../yaml-scalar.js';

/** `yaml`'s default lineWidth: a longer line with a space in its value may be folded */
const LINE_WIDTH = 80;
/** a release number such as 0.1.0: three or more parts are no YAML 1.1 float */
const RELEASE = /^[0-9]+(\.[0-9]+){2,}$/;
/** words and spaces, starting with a letter, '_' or '/', with no ': ' or ' #' inside */
const SPACED = /^[A-Za-z_/][A-Za-z0-9_\-/.@+:<> ]*[A-Za-z0-9_\-/.@+<>]$/;
/** a JSON text on one line with no space: `yaml` single-quotes it when it holds a " */
const FLOW_TEXT = /^[[{][\x21-\x7e]*$/;

/** Single quotes that `yaml` writes around a string holding a double quote. */
export class SingleQuoted {
  constructor(readonly text: string) {}
}

export type MlmodelValue =
  | string
  | number
  | null
  | SingleQuoted
  | readonly string[]
  | { readonly [key: string]: MlmodelValue };

function stringText(value: string, lineStart: number): string | null {
  if (isPlainString(value) || RELEASE.test(value)) return value;
  // with a space in it, no YAML 1.1 word, number or date can be read from it
  if (value.includes(' ') && SPACED.test(value) && !/: | #| {2}/.test(value))
    return lineStart + value.length <= LINE_WIDTH ? value : null;
  if (FLOW_TEXT.test(value) && value.includes('"') && !value.includes("'")) return `'${value}'`;
  return null;
}

function scalarText(value: MlmodelValue, lineStart: number): string | null {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (typeof value === 'string') return stringText(value, lineStart);
  if (value instanceof SingleQuoted) {
    const { text } = value;
    // a long quoted text is folded at a space by the library
    const folds = text.includes(' ') && lineStart + text.length + 2 > LINE_WIDTH;
    return /^[\x20-\x26\x28-\x7e]*$/.test(text) && !folds ? `'${text}'` : null;
  }
  return null;
}

function mappingText(doc: { readonly [key: string]: MlmodelValue }, indent: string): string | null {
  let text = '';
  for (const [key, value] of Object.entries(doc)) {
    if (!isPlainKey(key)) return null;
    const head = `${indent}${key}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) return null;
      text += `${head}\n`;
      for (const item of value as readonly string[]) {
        const line = `${indent}  - `;
        const scalar = typeof item === 'string' ? stringText(item, line.length) : null;
        if (scalar === null) return null;
        text += `${line}${scalar}\n`;
      }
      continue;
    }
    if (typeof value === 'object' && value !== null && !(value instanceof SingleQuoted)) {
      const inner = mappingText(value as { readonly [key: string]: MlmodelValue }, `${indent}  `);
      if (inner === null || inner === '') return null;
      text += `${head}\n${inner}`;
      continue;
    }
    const scalar = scalarText(value, head.length + 1);
    if (scalar === null) return null;
    text += `${head} ${scalar}\n`;
  }
  return text;
}

/** The YAML text of an MLmodel document, or null when only `yaml` may write it. */
export function mlmodelText(doc: { readonly [key: string]: MlmodelValue }): string | null {
  const text = mappingText(doc, '');
  return text === '' ? null : text;
}

/** What `yaml` is given instead: SingleQuoted as its single-quoted Scalar. */
function forYaml(value: MlmodelValue): unknown {
  if (value instanceof SingleQuoted) {
    const { Scalar } = yamlModule();
    const scalar = new Scalar(value.text);
    scalar.type = Scalar.QUOTE_SINGLE;
    return scalar;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forYaml(v)]));
}

/**
 * MLmodel's text: written here when it is sure, else by `yaml` (YAML 1.1, what PyYAML reads:
 * strings it would take for numbers or booleans, such as an all-digit id or "yes", quoted).
 */
export function dumpMlmodel(doc: { readonly [key: string]: MlmodelValue }): string {
  return mlmodelText(doc) ?? yamlModule().stringify(forYaml(doc), { version: '1.1' });
}

/**
 * Whether an MLmodel in block style (as MLflow and irisops write it) names `flavor` right
 * under its top-level `flavors:` key. False means "not sure": the caller then asks `yaml`.
 */
export function namesFlavor(text: string, flavor: string): boolean {
  const lines = text.split('\n');
  const start = lines.indexOf('flavors:');
  if (start === -1) return false;
  for (const line of lines.slice(start + 1)) {
    // the next top-level key ends the flavors
    if (!line.startsWith(' ')) return false;
    if (line === `  ${flavor}:`) return true;
  }
  return false;
}
