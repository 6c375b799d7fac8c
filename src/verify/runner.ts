/**
 * Runs the checklist in order and applies levels:
 * - a check reports what it saw: pass, warn (works, with a caveat) or fail (broken);
 * - a warn-level check's fail is reported as warn, unless --strict;
 * - with --strict every warn is a fail;
 * - a check whose prerequisite failed (e.g. [model] when [tracking] failed) reports
 *   "skipped: <why>" with the prerequisite's hint, as a fail when it is required (a required
 *   check that could not run is not green, even with --only) and as a warn when warn-level.
 * node and deps are required inside a project with a package.json, warn-level outside one.
 */
import { UsageError } from '../errors.js';
import type { VerifyReport } from '../schemas/generated.js';
import { checkApi } from './checks/api.js';
import { checkArtifact } from './checks/artifact.js';
import { checkCi } from './checks/ci.js';
import { checkConfig } from './checks/config.js';
import { checkContainer, checkDocker, checkImage } from './checks/container-cli.js';
import { checkContract } from './checks/contract.js';
import { checkData } from './checks/data.js';
import { checkDeps } from './checks/deps.js';
import { checkExperiment } from './checks/experiment.js';
import { checkModel } from './checks/model.js';
import { checkNode } from './checks/node.js';
import { checkPredict } from './checks/predict.js';
import { inProject } from './checks/project.js';
import { checkPromoted } from './checks/promoted.js';
import { checkTracking } from './checks/tracking.js';
import { checkUi } from './checks/ui.js';
import { VerifyState } from './state.js';
import {
  CHECK_IDS,
  Prerequisite,
  type CheckId,
  type CheckLevel,
  type CheckOutcome,
  type CheckStatus,
  type VerifyDeps,
} from './types.js';

type CheckFn = (state: VerifyState) => Promise<CheckOutcome>;

const CHECKS: Record<CheckId, { run: CheckFn; level: CheckLevel | 'project' }> = {
  node: { run: checkNode, level: 'project' },
  deps: { run: checkDeps, level: 'project' },
  config: { run: checkConfig, level: 'required' },
  data: { run: checkData, level: 'required' },
  tracking: { run: checkTracking, level: 'required' },
  experiment: { run: checkExperiment, level: 'required' },
  model: { run: checkModel, level: 'required' },
  promoted: { run: checkPromoted, level: 'required' },
  artifact: { run: checkArtifact, level: 'required' },
  ui: { run: checkUi, level: 'warn' },
  api: { run: checkApi, level: 'required' },
  predict: { run: checkPredict, level: 'required' },
  contract: { run: checkContract, level: 'required' },
  docker: { run: checkDocker, level: 'warn' },
  image: { run: checkImage, level: 'warn' },
  container: { run: checkContainer, level: 'warn' },
  ci: { run: checkCi, level: 'warn' },
};

export type CheckReport = VerifyReport['checks'][number];

export interface VerifyRequest {
  only?: string[];
  skip?: string[];
  strict?: boolean;
}

function parseIds(ids: string[], flag: string): CheckId[] {
  const unknown = ids.filter((id) => !(CHECK_IDS as readonly string[]).includes(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `${flag}: unknown check id${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      { hint: `check ids: ${CHECK_IDS.join(', ')}` },
    );
  }
  return ids as CheckId[];
}

/** the ids to run, in checklist order; throws UsageError on an unknown id */
export function selectChecks({ only, skip }: VerifyRequest): CheckId[] {
  const keep = only && only.length > 0 ? new Set(parseIds(only, '--only')) : new Set(CHECK_IDS);
  const drop = new Set(parseIds(skip ?? [], '--skip'));
  return CHECK_IDS.filter((id) => keep.has(id) && !drop.has(id));
}

export function levelOf(id: CheckId, cwd: string): CheckLevel {
  const level = CHECKS[id].level;
  return level === 'project' ? (inProject(cwd) ? 'required' : 'warn') : level;
}

function finalStatus(seen: CheckStatus, level: CheckLevel, strict: boolean): CheckStatus {
  if (seen === 'pass') return 'pass';
  if (strict) return 'fail';
  return level === 'warn' ? 'warn' : seen;
}

export async function runCheck(
  id: CheckId,
  state: VerifyState,
  strict = false,
): Promise<CheckReport> {
  const level = levelOf(id, state.deps.cwd);
  let outcome: CheckOutcome;
  try {
    outcome = await CHECKS[id].run(state);
  } catch (error) {
    outcome =
      error instanceof Prerequisite
        ? { status: 'fail', message: error.message, hint: error.hint }
        : {
            status: 'fail',
            message: `the check itself failed: ${error instanceof Error ? error.message : String(error)}`,
            hint: null,
          };
  }
  const status = finalStatus(outcome.status, level, strict);
  return {
    id,
    status,
    level,
    message: outcome.message,
    hint: status === 'pass' ? null : (outcome.hint ?? null),
  };
}

export async function runVerify(
  deps: VerifyDeps,
  request: VerifyRequest = {},
): Promise<VerifyReport> {
  const ids = selectChecks(request);
  const state = new VerifyState(deps);
  const strict = request.strict === true;
  const checks: CheckReport[] = [];
  // in order: the output reads top to bottom as the workshop does, and facts are shared
  for (const id of ids) checks.push(await runCheck(id, state, strict));
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const summary = { pass: count('pass'), warn: count('warn'), fail: count('fail') };
  return { ok: summary.fail === 0, strict, summary, checks };
}

export { VerifyState };
