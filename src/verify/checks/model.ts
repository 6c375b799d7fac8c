/** [model] the registered model exists and has versions. */
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

export async function checkModel(state: VerifyState): Promise<CheckOutcome> {
  await state.settingsOrSkip();
  await state.storeOrSkip();
  const fact = await state.registered();
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const { model, versions } = fact.value;
  const latest = versions[0]?.version ?? '?';
  return {
    status: 'pass',
    message: `registered model ${model.name}: ${versions.length} version${versions.length === 1 ? '' : 's'}, latest ${latest}`,
  };
}
