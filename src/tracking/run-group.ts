/**
 * createRuns and updateRuns for a store with no group call of its own (MLflow's REST API
 * has none): one create and one log-batch per run, and one log-batch and update per update,
 * concurrently across runs and in order within one. Checked before by the caller.
 */
import type {
  CreateRunWithParams,
  LogBatchRequest,
  RunInfo,
  RunUpdate,
  TrackingStore,
} from './store.js';

type RunWriter = Pick<TrackingStore, 'createRun' | 'logBatch' | 'updateRun'>;

function isEmpty(batch: LogBatchRequest): boolean {
  return (
    (batch.metrics?.length ?? 0) + (batch.params?.length ?? 0) + (batch.tags?.length ?? 0) === 0
  );
}

export async function createRunsOneByOne(
  store: RunWriter,
  requests: readonly CreateRunWithParams[],
): Promise<RunInfo[]> {
  return Promise.all(
    requests.map(async ({ params, ...request }) => {
      const info = await store.createRun(request);
      if (params !== undefined && params.length > 0) await store.logBatch(info.run_id, { params });
      return info;
    }),
  );
}

export async function updateRunsOneByOne(
  store: RunWriter,
  updates: readonly RunUpdate[],
): Promise<void> {
  const byRun = new Map<string, RunUpdate[]>();
  for (const u of updates) byRun.set(u.runId, [...(byRun.get(u.runId) ?? []), u]);
  await Promise.all(
    [...byRun.values()].map(async (list) => {
      for (const u of list) {
        if (!isEmpty(u.batch ?? {})) await store.logBatch(u.runId, u.batch ?? {});
        if (u.status !== undefined) await store.updateRun(u.runId, u.status, u.endTime ?? null);
      }
    }),
  );
}
