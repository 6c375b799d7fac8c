// Fuzzing, long form: --requests (200000) generated requests against a live server.
//   node bench/fuzz-serve.mjs [--requests 200000] [--seed N]
import { arg, runReliability } from '../test/reliability/fixtures/bench-runner.mjs';

const seed = arg('seed', 0);
runReliability('test/reliability/fuzz.test.ts', {
  IRISOPS_FUZZ_REQUESTS: String(arg('requests', 200_000)),
  ...(seed > 0 ? { IRISOPS_FUZZ_SEED: String(seed) } : {}),
});
