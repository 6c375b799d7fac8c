/**
 * [api] the service answers GET /health with 200 healthy. A service that serves another
 * model than the promoted one (by digest) passes with a warning: restart it to pick it up.
 */
import { isObject } from '../http.js';
import type { VerifyState } from '../state.js';
import { Prerequisite, type CheckOutcome } from '../types.js';
import { MODEL_DIGEST_TAG } from '../../tracking/tags.js';

export async function checkApi(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const fact = await state.service('/health');
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const { status, body } = fact.value;
  const url = `${settings.api_url.replace(/\/+$/, '')}/health`;
  if (status === 503) {
    // the usual cause: nothing promoted yet; else the service started before the model existed
    const promoted = await state.promoted().catch(() => null);
    return {
      status: 'fail',
      message: `${url} answered 503: the service has no model loaded${isObject(body) && body.draining === true ? ' (it is shutting down)' : ''}; once a version is promoted, restart it`,
      hint: promoted && !promoted.ok && promoted.hint ? promoted.hint : state.serveHint(settings),
    };
  }
  if (status !== 200 || !isObject(body) || body.status !== 'healthy') {
    return {
      status: 'fail',
      message: `${url} answered ${status}${isObject(body) ? ` ${JSON.stringify(body).slice(0, 120)}` : ' without JSON'}: not an irisops service?`,
      hint: state.serveHint(settings),
    };
  }
  const version = typeof body.model_version === 'string' ? body.model_version : '?';
  const served = `${typeof body.model_name === 'string' ? body.model_name : 'model'} version ${version}`;
  const promoted = await state.promoted().catch(() => null);
  const expected = promoted?.ok ? promoted.value.run.data.tags[MODEL_DIGEST_TAG] : undefined;
  if (
    expected !== undefined &&
    typeof body.model_digest === 'string' &&
    body.model_digest !== expected
  ) {
    return {
      status: 'warn',
      message: `${url} is healthy but serves ${served}, not ${settings.model_name}@${settings.alias} (version ${promoted?.ok ? promoted.value.version.version : '?'}): restart it, or send it SIGHUP`,
      hint: state.serveHint(settings),
    };
  }
  return { status: 'pass', message: `${url} is healthy, serving ${served}` };
}

/** predict needs a healthy service: a Prerequisite otherwise */
export async function healthyService(state: VerifyState): Promise<string> {
  const settings = await state.settingsOrSkip();
  const fact = await state.service('/health');
  const base = settings.api_url.replace(/\/+$/, '');
  if (!fact.ok) throw new Prerequisite(`skipped: nothing answers at ${base}`, fact.hint);
  const { status, body } = fact.value;
  if (status !== 200 || !isObject(body) || body.status !== 'healthy') {
    throw new Prerequisite(
      `skipped: the service at ${base} is not healthy`,
      (await checkApi(state)).hint ?? null,
    );
  }
  return base;
}
