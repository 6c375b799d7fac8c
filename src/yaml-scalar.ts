/**
 * Which strings YAML 1.1 (PyYAML, which MLflow reads with, and `yaml` with version '1.1')
 * reads back as themselves when written plain: the one rule behind irisops' own YAML readers
 * and writers (tracking/local/meta-yaml.ts for meta.yaml, model/mlmodel-text.ts for MLmodel),
 * which answer only where they are sure and leave the rest to the `yaml` library.
 */

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
/** YAML 1.1 (the yaml package) reads e5 or E-3 as a float: the digits before it are optional */
const EXPONENT = /^[eE][-+]?[0-9]+$/;

/** A string YAML 1.1 reads back as itself when written plain. */
export function isPlainString(text: string): boolean {
  if (RESERVED_WORDS.has(text) || EXPONENT.test(text)) return false;
  if (WORD_LIKE.test(text) && !text.endsWith(':')) return true;
  return HEX_ID.test(text) && /[a-df]/.test(text) && !/^0[xb]/.test(text);
}

/** A mapping key that is plain text and cannot be read as anything but that string. */
export function isPlainKey(key: string): boolean {
  return KEY.test(key) && !RESERVED_WORDS.has(key) && !EXPONENT.test(key) && key !== '__proto__';
}
