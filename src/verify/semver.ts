/**
 * Version ranges as npm reads them (the semver package), with a third answer the checks
 * must report: a range semver cannot read (a typo, `file:`, a git URL, a dist-tag) is
 * neither met nor unmet, so verify says it could not check rather than passing it.
 */
import satisfies from 'semver/functions/satisfies.js';
import validRange from 'semver/ranges/valid.js';

export type RangeStatus = 'satisfied' | 'unsatisfied' | 'unreadable';

export function rangeStatus(version: string, range: string): RangeStatus {
  if (validRange(range) === null) return 'unreadable';
  return satisfies(version, range) ? 'satisfied' : 'unsatisfied';
}
