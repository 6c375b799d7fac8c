// Coverage thresholds we keep (tap only knows "100%" or "anything"): the suite fails when
// a figure drops below its floor. Raise a floor when the figure has risen for good.
// The figures are summed over the project's own code: the validators Ajv generates at build
// time (dist/schemas/validators) are left out, as their branches are Ajv's, not ours.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const floors = { lines: 90, statements: 90, functions: 90, branches: 78 };
const GENERATED = `${path.sep}dist${path.sep}schemas${path.sep}validators${path.sep}`;

let summary;
try {
  summary = JSON.parse(
    readFileSync(new URL('../.tap/report/coverage-summary.json', import.meta.url), 'utf8'),
  );
} catch {
  console.error(
    'coverage-gate: .tap/report/coverage-summary.json not found (did tap run with coverage?)',
  );
  process.exit(1);
}

const kinds = Object.keys(floors);
const totals = Object.fromEntries(kinds.map((k) => [k, { total: 0, covered: 0 }]));
let generated = 0;
for (const [file, figures] of Object.entries(summary)) {
  if (file === 'total') continue;
  if (file.includes(GENERATED)) {
    generated += 1;
    continue;
  }
  for (const k of kinds) {
    totals[k].total += figures[k].total;
    totals[k].covered += figures[k].covered;
  }
}
const pct = (k) =>
  totals[k].total === 0 ? 100 : Math.round((10000 * totals[k].covered) / totals[k].total) / 100;
const low = kinds.filter((k) => pct(k) < floors[k]);
console.log(
  `coverage: ${kinds.map((k) => `${k} ${pct(k)}% (floor ${floors[k]}%)`).join(', ')}` +
    (generated ? ` (${generated} generated validator files left out)` : ''),
);
if (low.length > 0) {
  console.error(`coverage-gate: below the floor: ${low.join(', ')}`);
  process.exit(1);
}
