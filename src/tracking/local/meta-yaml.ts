/**
 * A fast reader (and writer) for the plain meta.yaml files MLflow's FileStore writes (PyYAML's
 * safe_dump of a flat dict: `key: value` lines, one level of nested mapping for input tags,
 * `[]` and `{}`), because the full YAML parser costs about half a millisecond a file and a
 * cold listing of 10,000 runs reads 30,000 of them.
 *
 * It answers only where it is sure to give what YAML 1.1 (`yaml`'s version '1.1', as
 * readMetaFile uses it) gives, and returns null for anything else — a double-quoted or
 * folded string, a float, a date, a block list, a comment, a duplicate key — so the caller
 * falls back to the full parser. A plain scalar is taken as a string only when no YAML 1.1
 * resolver (bool, null, int, float, sexagesimal, timestamp, merge) can claim it.
 *
 * The writer is the same rules turned round: it writes what dumpYaml's `yaml` call writes,
 * byte for byte, for the flat documents a sweep writes by the hundred (run meta.yaml), and
 * returns null for anything it is not sure of, which dumpYaml then hands to `yaml`.
 */
import { isPlainKey, isPlainString } from '../../yaml-scalar.js';
import type { Meta } from './meta-files.js';

const INT = /^-?(0|[1-9][0-9]{0,14})$/;
const NO_VALUE = Symbol('no value');

function plainScalar(text: string): unknown {
  if (text === 'null') return null;
  if (text === '[]') return [];
  if (text === '{}') return {};
  if (INT.test(text)) return Number(text);
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) {
    const inner = text.slice(1, -1);
    // every quote inside must be a doubled one
    if (inner.replaceAll("''", '').includes("'")) return NO_VALUE;
    return inner.replaceAll("''", "'");
  }
  return isPlainString(text) ? text : NO_VALUE;
}

/** One `key: value` line (after any indent), or null when it is not one this reader knows. */
function splitLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const key = line.slice(0, colon);
  if (!isPlainKey(key)) return null;
  const rest = line.slice(colon + 1);
  if (rest === '') return [key, ''];
  if (!rest.startsWith(' ') || rest.startsWith('  ') || rest.endsWith(' ')) return null;
  return [key, rest.slice(1)];
}

/** The mapping meta.yaml holds, or null when only the full YAML parser may answer. */
export function parseSimpleMeta(text: string): Meta | null {
  const lines = text.split('\n');
  // PyYAML ends every file with a newline; an empty file is no mapping at all
  if (lines.pop() !== '' || lines.length === 0) return null;
  const result: Meta = {};
  let nested: Meta | null = null;
  for (const line of lines) {
    const indented = line.startsWith('  ');
    const pair = splitLine(indented ? line.slice(2) : line);
    if (pair === null) return null;
    const [key, raw] = pair;
    if (indented) {
      if (nested === null || raw === '' || Object.hasOwn(nested, key)) return null;
      const value = plainScalar(raw);
      if (value === NO_VALUE || typeof value === 'object') return null;
      nested[key] = value;
      continue;
    }
    if (nested !== null && Object.keys(nested).length === 0) return null; // `key:` alone
    if (Object.hasOwn(result, key)) return null;
    if (raw === '') {
      nested = {};
      result[key] = nested;
      continue;
    }
    nested = null;
    const value = plainScalar(raw);
    if (value === NO_VALUE) return null;
    result[key] = value;
  }
  if (nested !== null && Object.keys(nested).length === 0) return null;
  return result;
}

/** Digits only (an experiment id): `yaml` quotes them, single quotes as dumpYaml asks. */
const DIGITS = /^[0-9]+$/;
/**
 * A JSON text on one line (a dataset's schema, profile or source): it starts with a flow
 * indicator, so `yaml` quotes it, in single quotes unless it holds a ' and no ".
 */
const FLOW_TEXT = /^[[{][\x20-\x7e]*$/;

function stringText(value: string): string | null {
  if (value === '') return "''";
  if (DIGITS.test(value)) return `'${value}'`;
  if (FLOW_TEXT.test(value) && (!value.includes("'") || value.includes('"')))
    return `'${value.replaceAll("'", "''")}'`;
  return isPlainString(value) ? value : null;
}

function scalarText(value: unknown): string | null {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isSafeInteger(value) ? String(value) : null;
  if (Array.isArray(value)) return value.length === 0 ? '[]' : null;
  if (typeof value === 'object') return Object.keys(value).length === 0 ? '{}' : null;
  return typeof value === 'string' ? stringText(value) : null;
}

/** `key: value` lines, keys sorted as `yaml`'s sortMapEntries sorts them (< and >). */
function mappingLines(meta: Meta, indent: string, nested: boolean): string | null {
  let text = '';
  for (const key of Object.keys(meta).sort()) {
    if (!isPlainKey(key)) return null;
    const value = meta[key];
    if (!nested && isNonEmptyMapping(value)) {
      const inner = mappingLines(value, '  ', true);
      if (inner === null) return null;
      text += `${indent}${key}:\n${inner}`;
      continue;
    }
    // the reader takes nothing but strings and integers one level down
    if (nested && typeof value !== 'string' && typeof value !== 'number') return null;
    const scalar = scalarText(value);
    if (scalar === null) return null;
    text += `${indent}${key}: ${scalar}\n`;
  }
  return text;
}

function isNonEmptyMapping(value: unknown): value is Meta {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  );
}

/**
 * meta.yaml as dumpYaml writes it (keys sorted, YAML 1.1), for a mapping of nulls, integers,
 * empty lists and mappings, plain, all-digit and one-line JSON strings, and mappings of
 * strings and integers one level down; null for anything else.
 */
export function dumpSimpleMeta(meta: Meta): string | null {
  const text = mappingLines(meta, '', false);
  return text === '' ? null : text;
}
