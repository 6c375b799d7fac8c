/** [promoted] the alias (production by default) points at a version. */
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

export async function checkPromoted(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  await state.storeOrSkip();
  const fact = await state.promoted();
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const { version, run } = fact.value;
  return {
    status: 'pass',
    message: `${settings.model_name}@${settings.alias} is version ${version.version} (run ${run.info.run_id.slice(0, 8)}, accuracy ${run.data.metrics.accuracy?.toFixed(3) ?? '?'})`,
  };
}
