/** [tracking] the store is reachable: the local folder readable (or creatable), the MLflow server's /health answers. */
import { existsSync } from 'node:fs';
import { parseTrackingUri } from '../../tracking/index.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { shownStore } from '../hints.js';

export async function checkTracking(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const fact = await state.store();
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const store = fact.value;
  if (store.kind === 'mlflow')
    return { status: 'pass', message: `MLflow server ${store.displayUri} answers /health` };
  const parsed = parseTrackingUri(settings.tracking_uri, state.deps.cwd);
  const fresh = parsed.kind === 'local' && !existsSync(parsed.root);
  const shown = shownStore(settings.tracking_uri, state.deps.cwd);
  return {
    status: 'pass',
    message: fresh
      ? `local folder ${shown} does not exist yet; irisops train creates it`
      : `local folder ${shown} is readable`,
  };
}
