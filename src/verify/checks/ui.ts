/** [ui] with an MLflow server: its web UI answers at /. A local folder has no UI to check. */
import { parseTrackingUri } from '../../tracking/index.js';
import { fetchJson } from '../http.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { shownStore } from '../hints.js';

export async function checkUi(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const store = await state.storeOrSkip();
  const parsed = parseTrackingUri(settings.tracking_uri, state.deps.cwd);
  if (parsed.kind === 'local') {
    return {
      status: 'pass',
      message: `local store: no server UI to check (MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ${shownStore(settings.tracking_uri, state.deps.cwd)} browses it)`,
    };
  }
  const url = `${parsed.url}/`;
  const u = new URL(parsed.url);
  const hint = `mlflow server --host ${u.hostname} --port ${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  try {
    const answer = await fetchJson(state.deps.fetch, url, { timeoutMs: state.deps.httpTimeoutMs });
    if (answer.status === 200 && /<html|<!doctype/i.test(answer.text))
      return { status: 'pass', message: `MLflow UI answers at ${store.displayUri}/` };
    return {
      status: 'fail',
      message: `${store.displayUri}/ answered ${answer.status} without the MLflow UI page (a server started with --no-serve-ui, or a proxy?)`,
      hint,
    };
  } catch (error) {
    return {
      status: 'fail',
      message: `the MLflow UI at ${store.displayUri}/ does not answer: ${(error as Error).message}`,
      hint,
    };
  }
}
