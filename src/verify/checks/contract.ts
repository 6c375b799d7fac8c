/**
 * [contract] the service's GET /contract equals this irisops's schema files (deep equality):
 * a service or container built from another irisops version shows up here. Messages name
 * the schemas by irisops version, not by path: a scaffolded project has no schemas/ folder.
 */
import { packageInfo } from '../../package-info.js';
import { loadSchema } from '../../schemas/index.js';
import { isObject } from '../http.js';
import { Prerequisite } from '../types.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';

/** the first path where a and b differ, or null when they are deeply equal */
export function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (Object.is(a, b)) return null;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${at || '(root)'} (length ${a.length} vs ${b.length})`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${at}[${i}]`);
      if (d !== null) return d;
    }
    return null;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const k of keys) {
      if (!(k in a) || !(k in b))
        return `${at ? `${at}.` : ''}${k} (${k in a ? 'only on the service' : 'missing on the service'})`;
      const d = firstDifference(a[k], b[k], at ? `${at}.${k}` : k);
      if (d !== null) return d;
    }
    return null;
  }
  return at || '(root)';
}

export async function checkContract(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const base = settings.api_url.replace(/\/+$/, '');
  const health = await state.service('/health');
  if (!health.ok) throw new Prerequisite(`skipped: nothing answers at ${base}`, health.hint);
  const fact = await state.service('/contract');
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const { status, body } = fact.value;
  const restart = state.serveHint(settings);
  const advice =
    'restart it with this irisops version (rebuild the image if it runs in a container)';
  if (status !== 200 || !isObject(body)) {
    return {
      status: 'fail',
      message: `${base}/contract answered ${status}${isObject(body) ? '' : ' without JSON'}: ${advice}`,
      hint: restart,
    };
  }
  const expected = {
    input_schema: loadSchema('predict-request'),
    output_schema: loadSchema('predict-response'),
  };
  const diff = firstDifference(body, expected);
  const ours = `the predict-request and predict-response schemas of irisops ${packageInfo().version}`;
  if (diff !== null) {
    return {
      status: 'fail',
      message: `${base}/contract differs from ${ours} at ${diff}: ${advice}`,
      hint: restart,
    };
  }
  return {
    status: 'pass',
    message: `${base}/contract equals ${ours}`,
  };
}
