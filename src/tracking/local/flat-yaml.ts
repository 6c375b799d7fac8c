/**
 * The meta.yaml files MLflow and irisops write are, nearly always, one `key: value` per line
 * with a plain word, a quoted string, an integer, null or an empty list as the value. yaml's
 * full parser costs a train more than a tenth of its time on those few files (it runs cold
 * in a short process), so such a file is read here; anything else (nesting, comments, a
 * word YAML 1.1 might take for a boolean, a float, a date ...) returns null and goes to
 * yaml as before. Every value read here is the value yaml reads (test/tracking/
 * flat-yaml.test.ts compares both).
 */
import type { Meta } from './meta-files.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** integers yaml reads as the same Number (no sign '+', no leading 0, no '_', safe size) */
const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;
/** a word or a path: starts with a letter or '/', so YAML 1.1 cannot read a number or date */
const PLAIN = /^[A-Za-z/][A-Za-z0-9_./-]*$/;
/** words YAML 1.1 reads as booleans or null */
/**
 * a run id (32 hex digits) that YAML 1.1 cannot read as a number: it has a letter, and is
 * neither binary (0b1010...) nor an exponent (123e45)
 */
const RUN_ID = /^[0-9a-f]{32}$/;
const RUN_ID_AS_NUMBER = /^(0b[01]+|[0-9]*e[0-9]+|[0-9]+)$/;
const SPECIAL =
  /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL)$/;
/** YAML 1.1 reads e5 or E-3 as a float (the digits before the exponent are optional) */
const EXPONENT = /^[eE][-+]?[0-9]+$/;
/** printable characters only (no control character, no lone surrogate half) */
const SINGLE_QUOTED = /^'((?:[\t\x20-\x26\x28-\x7e\u00a0-\ud7ff\ue000-\ufffd]|'')*)'$/;

const NOT_FLAT = Symbol('not flat');

function scalar(text: string): unknown {
  if (text === 'null' || text === '') return null;
  if (text === '[]') return [];
  if (INTEGER.test(text)) return Number(text);
  const quoted = SINGLE_QUOTED.exec(text);
  if (quoted) return (quoted[1] as string).replace(/''/g, "'");
  if (PLAIN.test(text) && !SPECIAL.test(text) && !EXPONENT.test(text)) return text;
  if (RUN_ID.test(text) && !RUN_ID_AS_NUMBER.test(text)) return text;
  return NOT_FLAT;
}

/** The mapping, or null when the text is not that simple flat form. */
export function parseFlatYaml(text: string): Meta | null {
  if (!text.endsWith('\n')) return null;
  const meta: Meta = {};
  for (const line of text.slice(0, -1).split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    const key = line.slice(0, colon);
    // a key YAML 1.1 reads as a boolean, null or a float would become 'true', '' or 'NaN'
    if (
      !KEY.test(key) ||
      SPECIAL.test(key) ||
      EXPONENT.test(key) ||
      key.startsWith('__') ||
      Object.hasOwn(meta, key)
    )
      return null;
    const rest = line.slice(colon + 1);
    if (rest !== '' && !rest.startsWith(' ')) return null;
    const value = scalar(rest.slice(1));
    if (value === NOT_FLAT || (rest.length > 1 && rest[1] === ' ')) return null;
    meta[key] = value;
  }
  return meta;
}
