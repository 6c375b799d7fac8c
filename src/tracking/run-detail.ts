/**
 * One run in full (`runs show` and the web UI's run page): its view, every artifact path,
 * the confusion matrix it logged, its dataset inputs and its child runs (a sweep's trials).
 */
import { NotFoundError } from '../errors.js';
import type { RunDetail } from '../schemas/types.js';
import { metricsToJson } from './metric-json.js';
import { childRuns, rankChildRuns } from './run-family.js';
import type { RunView } from './run-views.js';
import type { Run, TrackingStore } from './store.js';

async function confusionMatrixOf(
  store: TrackingStore,
  runId: string,
): Promise<RunDetail['confusion_matrix']> {
  try {
    const value = JSON.parse(
      (await store.readArtifact(runId, 'confusion_matrix.json')).toString('utf8'),
    ) as {
      labels?: unknown;
      matrix?: unknown;
    };
    if (Array.isArray(value.labels) && Array.isArray(value.matrix)) {
      return {
        labels: value.labels.map(String),
        matrix: (value.matrix as unknown[][]).map((row) => row.map(Number)),
      };
    }
  } catch (error) {
    if (!(error instanceof NotFoundError) && !(error instanceof SyntaxError)) throw error;
  }
  return null;
}

export async function listAllArtifacts(
  store: TrackingStore,
  runId: string,
  dir = '',
): Promise<RunDetail['artifacts']> {
  const out: RunDetail['artifacts'] = [];
  for (const f of await store.listArtifacts(runId, dir || undefined)) {
    out.push(
      f.file_size === undefined
        ? { path: f.path, is_dir: f.is_dir }
        : { path: f.path, is_dir: f.is_dir, file_size: f.file_size },
    );
    if (f.is_dir) out.push(...(await listAllArtifacts(store, runId, f.path)));
  }
  return out;
}

export async function readRunDetail(
  store: TrackingStore,
  run: Run,
  view: RunView,
): Promise<RunDetail> {
  const detail: RunDetail = {
    ...view,
    artifact_uri: run.info.artifact_uri,
    artifacts: await listAllArtifacts(store, run.info.run_id),
    confusion_matrix: await confusionMatrixOf(store, run.info.run_id),
    datasets: run.inputs.map((d) => ({
      name: d.name,
      digest: d.digest,
      source_type: d.source_type,
      source: d.source,
    })),
  };
  const children = rankChildRuns(run, await childRuns(store, run));
  if (children.length > 0)
    detail.children = children.map((child) => ({
      run_id: child.info.run_id,
      run_name: child.info.run_name,
      status: child.info.status,
      params: child.data.params,
      metrics: metricsToJson(child.data.metrics),
      tags: child.data.tags,
    }));
  return detail;
}
