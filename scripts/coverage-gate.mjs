// Coverage thresholds we keep (tap only knows "100%" or "anything"): the suite fails when
// a figure drops below its floor. Raise a floor when the figure has risen for good.
import { readFileSync } from 'node:fs';

const floors = { lines: 90, statements: 90, functions: 90, branches: 78 };
let summary;
try {
  summary = JSON.parse(
    readFileSync(new URL('../.tap/report/coverage-summary.json', import.meta.url), 'utf8'),
  ).total;
} catch {
  console.error(
    'coverage-gate: .tap/report/coverage-summary.json not found (did tap run with coverage?)',
  );
  process.exit(1);
}
const low = Object.entries(floors).filter(([k, floor]) => summary[k].pct < floor);
console.log(
  `coverage: ${Object.keys(floors)
    .map((k) => `${k} ${summary[k].pct}% (floor ${floors[k]}%)`)
    .join(', ')}`,
);
if (low.length > 0) {
  console.error(`coverage-gate: below the floor: ${low.map(([k]) => k).join(', ')}`);
  process.exit(1);
}
