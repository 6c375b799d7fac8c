/**
 * [data] the training CSV is there, valid against the dataset schema, 150 rows, and its
 * sha256 is the one recorded (tag irisops.dataset_digest) by the run of the promoted version.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundledDataPath, digestBytes, loadDataset, resolveDataPath } from '../../data/dataset.js';
import { RESTORE_PROJECT, trainAndPromote } from '../hints.js';
import type { VerifyState } from '../state.js';
import type { CheckOutcome } from '../types.js';
import { DATASET_DIGEST_TAG } from '../../tracking/tags.js';

const IRIS_ROWS = 150;

export async function checkData(state: VerifyState): Promise<CheckOutcome> {
  const settings = await state.settingsOrSkip();
  const { cwd } = state.deps;
  const projectCopy = path.resolve(cwd, 'data', 'iris.csv');
  const file = resolveDataPath(settings.data, cwd);
  const shown = path.relative(cwd, file) || file;
  // (inside the irisops repository itself, ./data/iris.csv is the bundled copy: that is fine)
  if (settings.data === null && file === bundledDataPath && file !== projectCopy) {
    return {
      status: 'warn',
      message: 'no data/iris.csv here: irisops train uses the copy bundled with irisops',
      hint: 'irisops init --yes --no-docker --no-ci',
    };
  }
  let rows: number;
  let digest: string;
  try {
    const data = await loadDataset(file);
    rows = data.rows.length;
    digest = data.digest;
  } catch (error) {
    return {
      status: 'fail',
      message: (error as Error).message,
      hint: file === projectCopy ? RESTORE_PROJECT : null,
    };
  }

  // compare with the promoted version's run when there is one; no model yet is not a data problem
  const promoted = await state.promoted().catch(() => null);
  const recorded = promoted?.ok ? promoted.value.run.data.tags[DATASET_DIGEST_TAG] : undefined;
  const rowNote =
    rows === IRIS_ROWS ? `${rows} rows` : `${rows} rows (the Iris data set has ${IRIS_ROWS})`;
  if (promoted?.ok && recorded !== undefined && recorded !== digest) {
    const { version } = promoted.value;
    const original =
      recorded === digestBytes(readFileSync(bundledDataPath)) && file === projectCopy;
    const registered = await state.registered();
    const next = registered.ok ? registered.value.next : String(Number(version.version) + 1);
    return {
      status: 'fail',
      message: `${shown} sha256 ${digest.slice(0, 12)}… differs from ${recorded.slice(0, 12)}…, the data ${settings.model_name}@${settings.alias} (version ${version.version}) was trained on`,
      // the bundled data restored, or a model trained on the data as it is now
      hint: original
        ? RESTORE_PROJECT
        : trainAndPromote(state.deps.flags, settings.model_name, next, settings.alias),
    };
  }
  const compared = promoted?.ok
    ? recorded === undefined
      ? `; version ${promoted.value.version.version} recorded no dataset digest`
      : `, sha256 ${digest.slice(0, 12)}… as recorded by version ${promoted.value.version.version}`
    : `, sha256 ${digest.slice(0, 12)}… (no promoted version to compare with)`;
  const status = rows === IRIS_ROWS && (!promoted?.ok || recorded !== undefined) ? 'pass' : 'warn';
  return { status, message: `${shown}: ${rowNote}, schema valid${compared}`, hint: null };
}
