// Crash safety, long form: --trials (200) `irisops train` processes killed with SIGKILL at
// random points, then the store checked (irisops, and MLflow's client when installed).
//   node bench/crash-train.mjs [--trials 200]
import { arg, runReliability } from '../test/reliability/fixtures/bench-runner.mjs';

runReliability('test/reliability/crash-train.test.ts', {
  IRISOPS_CRASH_TRIALS: String(arg('trials', 200)),
});
