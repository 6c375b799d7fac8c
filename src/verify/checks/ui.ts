/**
 * [ui] with an MLflow server: its web UI answers at /. With a local folder: `irisops ui` (or
 * `mlflow ui` on the same folder) answers at the configured ui_port on this machine.
 */
import { parseTrackingUri } from '../../tracking/index.js';
import { fetchJson } from '../http.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { shownStore } from '../hints.js';

export async function checkUi(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const store = await state.storeOrSkip();
  const parsed = parseTrackingUri(settings.tracking_uri, state.deps.cwd);
  if (parsed.kind === 'local') return checkLocalUi(state, settings.ui_port, settings.tracking_uri);
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

/** Says which UI answers on ui_port: irisops' own pages carry its name in the title. */
async function checkLocalUi(
  state: VerifyState,
  port: number,
  trackingUri: string,
): Promise<CheckOutcome> {
  const url = `http://127.0.0.1:${port}/`;
  const hint = `irisops ui --port ${port}`;
  const browse = `or MLFLOW_ALLOW_FILE_STORE=true mlflow ui --backend-store-uri ${shownStore(trackingUri, state.deps.cwd)} --port ${port}`;
  try {
    const answer = await fetchJson(state.deps.fetch, url, { timeoutMs: state.deps.httpTimeoutMs });
    if (answer.status === 200 && /<title>[^<]*irisops<\/title>/i.test(answer.text))
      return { status: 'pass', message: `irisops ui answers at ${url}` };
    if (answer.status === 200 && /<html|<!doctype/i.test(answer.text))
      return { status: 'pass', message: `a web UI (not irisops ui; mlflow ui?) answers at ${url}` };
    return {
      status: 'fail',
      message: `${url} answered ${answer.status}, not a UI page: is another program on port ${port}?`,
      hint: `${hint} (another port: --port, or ui_port in irisops.config.json)`,
    };
  } catch (error) {
    return {
      status: 'fail',
      message: `no UI answers at ${url} (${(error as Error).message}): start one to browse the runs`,
      hint: `${hint}   ${browse}`,
    };
  }
}
