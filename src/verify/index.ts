/** irisops verify's core: the checklist as data; the command renders it. */
export {
  runVerify,
  selectChecks,
  levelOf,
  runCheck,
  VerifyState,
  type CheckReport,
  type VerifyRequest,
} from './runner.js';
export {
  CHECK_IDS,
  type CheckId,
  type VerifyDeps,
  type CommandRunner,
  type CommandResult,
} from './types.js';
export { runCommand, executableFinder } from './process.js';
