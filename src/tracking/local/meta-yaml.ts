/**
 * A fast reader for the plain meta.yaml files MLflow's FileStore writes (PyYAML's
 * safe_dump of a flat dict: `key: value` lines, one level of nested mapping for input tags,
 * `[]` and `{}`), because the full YAML parser costs about half a millisecond a file and a
 * cold listing of 10,000 runs reads 30,000 of them.
 *
 * It answers only where it is sure to give what YAML 1.1 (`yaml`'s version '1.1', as
 * readMetaFile uses it) gives, and returns null for anything else — a double-quoted or
 * folded string, a float, a date, a block list, a comment, a duplicate key — so the caller
 * falls back to the full parser. A plain scalar is taken as a string only when no YAML 1.1
 * resolver (bool, null, int, float, sexagesimal, timestamp, merge) can claim it.
 */
import type { Meta } from './meta-files.js';

/** YAML 1.1's bool and null words: as plain scalars they are not strings. */
const RESERVED_WORDS = new Set(
  ['y', 'yes', 'n', 'no', 'true', 'false', 'on', 'off', 'null', '~'].flatMap((w) => [
    w,
    w.toUpperCase(),
    w[0]?.toUpperCase() + w.slice(1),
  ]),
);
const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** plain text that starts with a letter, '_' or '/': no number, date or indicator starts so */
const WORD_LIKE = /^[A-Za-z_/][A-Za-z0-9_\-/.@+:]*$/;
/** hex ids (run ids): with a letter other than 'e' they cannot be a number (no 0x/0b prefix) */
const HEX_ID = /^[0-9a-f]+$/;
const INT = /^-?(0|[1-9][0-9]{0,14})$/;
/** YAML 1.1 (the yaml package) reads e5 or E-3 as a float: the digits before it are optional */
const EXPONENT = /^[eE][-+]?[0-9]+$/;
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
  if (RESERVED_WORDS.has(text) || EXPONENT.test(text)) return NO_VALUE;
  if (WORD_LIKE.test(text) && !text.endsWith(':')) return text;
  if (HEX_ID.test(text) && /[a-df]/.test(text) && !/^0[xb]/.test(text)) return text;
  return NO_VALUE;
}

function usableKey(key: string): boolean {
  return KEY.test(key) && !RESERVED_WORDS.has(key) && !EXPONENT.test(key) && key !== '__proto__';
}

/** One `key: value` line (after any indent), or null when it is not one this reader knows. */
function splitLine(line: string): [string, string] | null {
  const colon = line.indexOf(':');
  if (colon <= 0) return null;
  const key = line.slice(0, colon);
  if (!usableKey(key)) return null;
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
