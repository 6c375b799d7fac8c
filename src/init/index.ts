/**
 * irisops init's core: answers in, files out. Everything is planned first and written at the
 * end (each file atomically), so a refusal or an interruption before this point leaves the
 * folder untouched.
 */
import type { InitResult } from '../schemas/generated.js';
import type { IrisopsConfig } from '../schemas/types.js';
import type { InitAnswers } from './answers.js';
import { desiredFiles } from './files.js';
import { planFiles, type PlannedFile } from './plan.js';
import { applyPlan } from './write.js';

export {
  defaultAnswers,
  readExistingProject,
  validate,
  isServerUri,
  type InitAnswers,
  type ExistingProject,
} from './answers.js';
export { probeTrackingServer, type ProbeResult } from './probe.js';
export type { PlannedFile } from './plan.js';

export interface InitRequest {
  dir: string;
  answers: InitAnswers;
  /** the config already in the folder (its other keys are kept) */
  previous: IrisopsConfig | null;
  force: boolean;
  irisopsVersion: string;
}

export interface InitOutcome {
  result: InitResult;
  plan: PlannedFile[];
}

export function initProject(request: InitRequest): InitOutcome {
  const plan = planFiles(
    request.dir,
    desiredFiles(request.answers, request.previous, request.irisopsVersion),
    { force: request.force },
  );
  applyPlan(request.dir, plan);
  const paths = (...actions: PlannedFile['action'][]) =>
    plan.filter((f) => actions.includes(f.action)).map((f) => f.path);
  return {
    plan,
    result: {
      dir: request.dir,
      written: paths('create', 'overwrite', 'extend'),
      skipped: paths('skip'),
      unchanged: paths('unchanged'),
    },
  };
}
