/** Is an MLflow tracking server answering? GET <url>/health, as MLflow's own clients check. */

export type ProbeResult = { ok: true } | { ok: false; reason: string };

export async function probeTrackingServer(
  url: string,
  fetchImpl: typeof globalThis.fetch,
  timeoutMs = 5000,
): Promise<ProbeResult> {
  const target = `${url.replace(/\/+$/, '')}/health`;
  try {
    const response = await fetchImpl(target, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok
      ? { ok: true }
      : { ok: false, reason: `GET ${target} answered ${response.status}` };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const why =
      e.name === 'TimeoutError'
        ? `no answer within ${timeoutMs / 1000}s`
        : (e.cause?.code ?? e.message);
    return { ok: false, reason: `GET ${target} failed: ${why}` };
  }
}
