/** [artifact] the promoted version's model loads through the store and its digest verifies. */
import { loadModel } from '../../model/load.js';
import { trainAndPromote } from '../hints.js';
import { need, type VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

export async function checkArtifact(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const store = await state.storeOrSkip();
  const { version } = need(
    await state.promoted(),
    `${settings.model_name}@${settings.alias} is not set`,
  );
  const uri = `models:/${settings.model_name}@${settings.alias}`;
  try {
    const loaded = await loadModel(store, uri);
    return {
      status: 'pass',
      message: `${uri} (version ${version.version}) loads; model.json ${loaded.digest.slice(0, 19)}… matches its recorded digest`,
    };
  } catch (error) {
    const registered = await state.registered();
    const next = registered.ok ? registered.value.next : String(Number(version.version) + 1);
    return {
      status: 'fail',
      message: (error as Error).message,
      hint: trainAndPromote(state.deps.flags, settings.model_name, next, settings.alias),
    };
  }
}
