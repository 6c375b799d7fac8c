// Soak: a new version promoted every second for --seconds (30) under load with
// `irisops serve --reload-interval 1`, plus SIGTERM under load. Prints JSON lines.
//   node bench/soak-reload.mjs [--seconds 30]
import { arg, runReliability } from '../test/reliability/fixtures/bench-runner.mjs';

runReliability('test/reliability/serve-load.test.ts', {
  IRISOPS_SOAK_SECONDS: String(arg('seconds', 30)),
});
