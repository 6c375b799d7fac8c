/** `ab report` and `ab promote`: a running serve's A/B test, read and acted on from outside. */
import type { Context } from '../context.js';
import type { SettingFlags } from '../config/resolve.js';
import { currentUser } from '../model/run-source.js';
import { checkApiUrl, fetchAbReport } from '../rollout/ab-client.js';
import { promoteChallenger, verdictFigures } from '../rollout/ab-promote.js';
import type { AbReport } from '../schemas/types.js';
import { checkMoveMessage } from '../tracking/alias-history.js';
import { validateAlias } from '../tracking/names.js';
import { checkArgument } from './options.js';
import type { Output } from './output.js';
import { commandKit, setup } from './shared.js';
import { renderTable } from './table.js';

export interface AbReportOptions extends SettingFlags {
  apiUrl?: string;
  json?: boolean;
}

export interface AbPromoteOptions extends SettingFlags {
  apiUrl?: string;
  message?: string;
}

/** --api-url, else serve's own port from the settings (flag > PORT > config > 8000). */
function apiUrlOf(options: { apiUrl?: string }, port: number): URL {
  return checkApiUrl(options.apiUrl ?? `http://127.0.0.1:${port}`);
}

const num = (x: number | null | undefined, digits = 3) =>
  x === null || x === undefined ? '-' : x.toFixed(digits);

function renderReport(out: Output, report: AbReport, source: string): void {
  const { c } = out;
  const split =
    report.split_percent === null
      ? 'no challenger'
      : `split ${report.split_percent} % to the challenger`;
  out.print(`A/B at ${source}: ${split}, feedback window ${report.feedback_window}`);
  type Variant = NonNullable<AbReport['challenger']>;
  const variants: [string, Variant][] = [['champion', report.champion]];
  if (report.challenger) variants.push(['challenger', report.challenger]);
  const rows = variants.map(([label, v]) => [
    label,
    v.loaded
      ? `${v.model_name ?? '?'} v${v.model_version ?? '?'}`
      : c.yellow(`not loaded (${v.model_uri})`),
    String(v.requests),
    String(v.labelled),
    num(v.accuracy),
    v.interval ? `${num(v.interval[0])}-${num(v.interval[1])}` : '-',
  ]);
  out.print(
    renderTable(['VARIANT', 'MODEL', 'REQUESTS', 'LABELLED', 'ACCURACY', '95% INTERVAL'], rows),
  );
  const { test } = report;
  const colour =
    test.verdict === 'challenger better'
      ? c.green
      : test.verdict === 'champion better'
        ? c.red
        : c.yellow;
  const p = test.p_value === null ? '' : `, p = ${test.p_value.toPrecision(3)}`;
  const diff =
    test.difference === null
      ? ''
      : `, difference ${test.difference >= 0 ? '+' : ''}${test.difference.toFixed(3)}`;
  out.print(
    `verdict: ${colour(test.verdict)}${p}${diff} (alpha ${test.alpha}, at least ${test.min_labels} labels each)`,
  );
  out.print(
    `labels still needed: ${test.more_labels_needed === null ? 'unknown' : String(test.more_labels_needed)}`,
  );
  if (report.shadow) {
    const s = report.shadow;
    out.print(
      `shadow v${s.model_version ?? '?'} (${s.percent} %): agreement ${num(s.agreement)} on ${s.compared} compared, ${s.failed} failed, ${s.skipped} skipped`,
    );
  }
}

export async function report(
  ctx: Context,
  _args: string[],
  options: AbReportOptions,
): Promise<void> {
  const kit = commandKit(ctx, options);
  const settings = await kit.resolveSettings();
  const base = apiUrlOf(options, settings.port);
  const body = await fetchAbReport(ctx.fetch, base);
  if (kit.out.json) {
    kit.out.printJson(body);
    return;
  }
  renderReport(kit.out, body, base.origin);
}

export async function promote(
  ctx: Context,
  _args: string[],
  options: AbPromoteOptions,
): Promise<void> {
  if (options.alias !== undefined) checkArgument(validateAlias, options.alias);
  checkMoveMessage(options.message);
  if (options.apiUrl !== undefined) checkApiUrl(options.apiUrl);
  const { out, settings, store } = await setup(ctx, options);
  const base = apiUrlOf(options, settings.port);
  const body = await fetchAbReport(ctx.fetch, base);
  const { result } = await promoteChallenger(store, {
    report: body,
    source: base.origin,
    alias: settings.alias,
    record: { user: currentUser(ctx.env), time: ctx.now(), message: options.message },
  });
  const { c } = out;
  const from = result.previous_version === null ? 'unset' : `v${result.previous_version}`;
  if (result.previous_version === result.version)
    out.print(
      `${c.green('✔')} ${result.name} @${result.alias} is already ${c.bold(`v${result.version}`)}: nothing changed`,
    );
  else
    out.print(
      `${c.green('✔')} ${result.name} @${result.alias}: ${from} → ${c.bold(`v${result.version}`)} (challenger better)`,
    );
  out.note(`  ${verdictFigures(body)}`);
  out.note(
    `\nA serve following @${result.alias} picks it up on its next reload (or kill -HUP <pid>).`,
  );
}
