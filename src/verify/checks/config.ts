/** [config] irisops.config.json is valid against schemas/config.schema.json, or absent (defaults). */
import path from 'node:path';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { shownStore } from '../hints.js';

export async function checkConfig(state: VerifyState): Promise<CheckOutcome> {
  const fact = await state.settings();
  if (!fact.ok) return { status: 'fail', message: fact.message, hint: fact.hint };
  const s = fact.value;
  const summary = `tracking ${shownStore(s.tracking_uri, state.deps.cwd)}, experiment "${s.experiment}", model ${s.model_name}@${s.alias}, port ${s.port}`;
  if (s.config_file === null)
    return { status: 'pass', message: `no irisops.config.json here: defaults in use (${summary})` };
  return {
    status: 'pass',
    message: `${path.relative(state.deps.cwd, s.config_file) || s.config_file} is valid (${summary})`,
  };
}
