/**
 * Just enough of npm's semver ranges to read `engines.node` and dependency ranges:
 * comparators (>=, >, <=, <, =), ^, ~, x-ranges, hyphen ranges, space (and) and || (or).
 * An unparseable range counts as satisfied: verify must not fail on notation it cannot read.
 */
type Version = [number, number, number];

export function parseVersion(v: string): Version | null {
  const m = /^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(v);
  if (!m) return null;
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function cmp(a: Version, b: Version): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
}

type Test = (v: Version) => boolean;

function partial(s: string): { v: Version; parts: number } | null {
  const m = /^v?(\d+|[xX*])(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:[-+][0-9A-Za-z.-]*)?$/.exec(s);
  if (!m) return null;
  const nums = [m[1], m[2], m[3]];
  let parts = 0;
  for (const n of nums) {
    if (n === undefined || /[xX*]/.test(n)) break;
    parts++;
  }
  return {
    v: [Number(parts > 0 ? m[1] : 0), Number(parts > 1 ? m[2] : 0), Number(parts > 2 ? m[3] : 0)],
    parts,
  };
}

function bump(v: Version, index: number): Version {
  const out: Version = [v[0], v[1], v[2]];
  out[index] = (out[index] ?? 0) + 1;
  for (let i = index + 1; i < 3; i++) out[i] = 0;
  return out;
}

function comparator(token: string): Test | null {
  const m = /^(\^|~|>=|<=|>|<|=)?\s*(.+)$/.exec(token);
  if (!m) return null;
  const op = m[1] ?? '';
  const p = partial(m[2] ?? '');
  if (!p) return null;
  const { v, parts } = p;
  const ge = (x: Version) => cmp(x, v) >= 0;
  if (parts === 0) return op === '<' || op === '>' ? () => false : () => true;
  switch (op) {
    case '>=':
      return ge;
    case '>':
      return parts === 3 ? (x) => cmp(x, v) > 0 : (x) => cmp(x, bump(v, parts - 1)) >= 0;
    case '<':
      return (x) => cmp(x, v) < 0;
    case '<=':
      return parts === 3 ? (x) => cmp(x, v) <= 0 : (x) => cmp(x, bump(v, parts - 1)) < 0;
    case '^': {
      const i = v[0] > 0 || parts === 1 ? 0 : v[1] > 0 || parts === 2 ? 1 : 2;
      const upper = bump(v, i);
      return (x) => ge(x) && cmp(x, upper) < 0;
    }
    case '~': {
      const upper = bump(v, parts === 1 ? 0 : 1);
      return (x) => ge(x) && cmp(x, upper) < 0;
    }
    default: {
      if (parts === 3) return (x) => cmp(x, v) === 0;
      const upper = bump(v, parts - 1);
      return (x) => ge(x) && cmp(x, upper) < 0;
    }
  }
}

export function satisfies(version: string, range: string): boolean {
  const v = parseVersion(version);
  if (!v) return false;
  const alternatives = range.split('||').map((s) => s.trim());
  let understood = false;
  for (const alt of alternatives) {
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(alt);
    const tokens = hyphen
      ? [`>=${hyphen[1]}`, `<=${hyphen[2]}`]
      : alt === ''
        ? ['*']
        : alt.replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/);
    const tests = tokens.map(comparator);
    if (tests.some((t) => t === null)) continue;
    understood = true;
    if (tests.every((t) => t !== null && t(v))) return true;
  }
  return !understood;
}
