// Fails when `npm audit --omit=dev` reports a high or critical advisory that is not in
// audit-allowlist.json (entries: { "id": <GHSA id or advisory url>, "reason", "expires": "YYYY-MM-DD" }).
// An expired entry counts as absent, so an accepted risk is re-decided, never forgotten.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const allowlist = JSON.parse(
  readFileSync(new URL('../audit-allowlist.json', import.meta.url), 'utf8'),
);
const today = new Date().toISOString().slice(0, 10);
const accepted = new Set(allowlist.filter((e) => e.expires >= today).map((e) => e.id));
let report;
try {
  report = execFileSync('npm', ['audit', '--omit=dev', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
} catch (error) {
  // npm audit exits 1 when it finds anything; its JSON is still on stdout
  report = error.stdout;
  if (!report) {
    console.error(`npm audit could not run: ${error.message}`);
    process.exit(1);
  }
}
const vulns = Object.values(JSON.parse(report).vulnerabilities ?? {});
const blocking = [];
for (const v of vulns) {
  if (!['high', 'critical'].includes(v.severity)) continue;
  const ids = v.via
    .filter((x) => typeof x === 'object')
    .map((x) => x.url?.split('/').pop() ?? String(x.source));
  if (ids.length > 0 && ids.every((id) => accepted.has(id))) continue;
  blocking.push(`${v.severity} ${v.name} ${v.range} (${ids.join(', ') || 'via a dependency'})`);
}
const counts = vulns.reduce((acc, v) => ({ ...acc, [v.severity]: (acc[v.severity] ?? 0) + 1 }), {});
console.log(JSON.stringify({ audit: counts, allowlisted: [...accepted], blocking }));
if (blocking.length > 0) {
  console.error(
    `npm audit: ${blocking.length} high/critical advisories:\n  ${blocking.join('\n  ')}`,
  );
  process.exit(1);
}
