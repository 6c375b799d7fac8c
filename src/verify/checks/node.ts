/** [node] the running Node.js satisfies irisops's engines.node, and the project's when it has one. */
import { rangeStatus } from '../semver.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { projectPackage } from './project.js';

export async function checkNode(state: VerifyState): Promise<CheckOutcome> {
  const { nodeVersion, irisopsEngines, cwd } = state.deps;
  let projectRange: string | undefined;
  try {
    projectRange = projectPackage(cwd)?.engines?.node;
  } catch {
    projectRange = undefined;
  }
  const ranges = [
    { who: 'irisops', range: irisopsEngines },
    ...(projectRange ? [{ who: 'package.json', range: projectRange }] : []),
  ];
  const unreadable = ranges.filter((r) => rangeStatus(nodeVersion, r.range) === 'unreadable');
  if (unreadable.length > 0) {
    return {
      status: 'fail',
      message: `cannot check Node.js ${nodeVersion}: ${unreadable.map((r) => `${r.who} engines.node "${r.range}"`).join(' and ')} is not a version range`,
      hint: 'npm pkg set engines.node=">=20.12"',
    };
  }
  const unmet = ranges.filter((r) => rangeStatus(nodeVersion, r.range) === 'unsatisfied');
  if (unmet.length > 0) {
    return {
      status: 'fail',
      message: `Node.js ${nodeVersion} does not satisfy ${unmet.map((r) => `${r.who} engines.node "${r.range}"`).join(' and ')}`,
      hint: 'nvm install 22 && nvm use 22',
    };
  }
  return {
    status: 'pass',
    message: `Node.js ${nodeVersion} satisfies ${ranges.map((r) => `${r.who} "${r.range}"`).join(' and ')}`,
  };
}
