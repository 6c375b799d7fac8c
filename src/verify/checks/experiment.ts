/** [experiment] the experiment exists and has at least one FINISHED run. */
import { trainCommand } from '../hints.js';
import { need, type VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

export async function checkExperiment(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  await state.storeOrSkip();
  const fact = await state.experiment();
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const { experiment, finished } = need(fact, '');
  if (!finished) {
    return {
      status: 'fail',
      message: `experiment "${settings.experiment}" has no FINISHED run`,
      hint: trainCommand(state.deps.flags),
    };
  }
  return {
    status: 'pass',
    message: `experiment "${experiment.name}" (id ${experiment.experiment_id}) has finished runs; latest ${finished.info.run_name || finished.info.run_id.slice(0, 8)}`,
  };
}
