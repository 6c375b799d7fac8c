/** Registered models, their versions and aliases, and the form that sets or moves one. */
import type { RegistryList } from '../schemas/types.js';
import type { AliasMove } from '../tracking/alias-history.js';
import { html, query, type Html } from './html.js';
import { formatMetric, formatTime, notice } from './layout.js';

export interface RegistryState {
  /** null: writes are off (--read-only) */
  csrfToken: string | null;
  defaultAlias: string;
  /** the outcome of the last alias move, shown once after the redirect */
  outcome: { ok: boolean; message: string; hint?: string } | null;
}

type Model = RegistryList['models'][number];
type Version = Model['versions'][number];

function aliasForm(state: RegistryState, model: string, v: Version): Html {
  if (state.csrfToken === null) return html``;
  return html`<form class="alias" method="post" action="/registry/alias">
    <input type="hidden" name="csrf" value="${state.csrfToken}" />
    <input type="hidden" name="model" value="${model}" /><input
      type="hidden"
      name="version"
      value="${v.version}"
    />
    <label
      >alias <input type="text" name="alias" value="${state.defaultAlias}" size="12" required
    /></label>
    <label
      ><input type="checkbox" name="if_better" value="1" checked /> only if better on
      metrics.accuracy</label
    >
    <button type="submit">Set on v${v.version}</button>
  </form>`;
}

/** The latest recorded moves: who moved which alias from where to where, and why. */
function historyTable(m: Model, moves: AliasMove[]): Html {
  if (moves.length === 0)
    return html`<p class="muted" id="history-${m.name}">
      No recorded alias moves yet: irisops records every move it makes (registry promote, rollback,
      ab promote, this page).
    </p>`;
  return html`<h3>Alias history</h3>
    <table class="history" id="history-${m.name}">
      <thead>
        <tr>
          <th>When (UTC)</th>
          <th>Alias</th>
          <th>Move</th>
          <th>By</th>
          <th>Via</th>
          <th>Why</th>
        </tr>
      </thead>
      <tbody>
        ${moves.map(
          (mv) =>
            html`<tr>
              <td class="nowrap">${formatTime(Date.parse(mv.time))}</td>
              <td><span class="badge">@${mv.alias}</span></td>
              <td class="nowrap">${mv.from === null ? 'none' : `v${mv.from}`} → v${mv.to}</td>
              <td>${mv.user}</td>
              <td>${mv.via}</td>
              <td>${[mv.message, mv.reason].filter((x) => x !== null).join(' — ') || '-'}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p class="muted">
      Older moves and "who held it at a given time":
      <code>irisops registry history ${m.name} --at &lt;time&gt;</code>
    </p>`;
}

function modelSection(state: RegistryState, m: Model, moves: AliasMove[]): Html {
  const aliases = Object.entries(m.aliases).sort((a, b) => a[0].localeCompare(b[0]));
  return html`<section class="model" data-model="${m.name}">
    <h2>${m.name}</h2>
    <p>
      Aliases:
      ${aliases.length === 0 ? html`<span class="muted">none</span>` : aliases.map(([a, v]) => html`<span class="badge">@${a} → v${v}</span> `)}
    </p>
    <table>
      <thead>
        <tr>
          <th>Version</th>
          <th>Aliases</th>
          <th>Run</th>
          <th>accuracy</th>
          <th>f1_score</th>
          <th>Created (UTC)</th>
          <th>Kind</th>
          ${state.csrfToken === null ? '' : html`<th>Set alias</th>`}
        </tr>
      </thead>
      <tbody>
        ${m.versions.map(
          (v) =>
            html`<tr data-version="${v.version}">
              <td>v${v.version}</td>
              <td>${v.aliases.map((a) => html`<span class="badge">@${a}</span> `)}</td>
              <td>
                ${v.run_id ? html`<a href="/run${query([['id', v.run_id]])}"><code>${v.run_id.slice(0, 8)}</code></a>` : '-'}
              </td>
              <td class="num">${formatMetric(v.metrics.accuracy)}</td>
              <td class="num">${formatMetric(v.metrics.f1_score)}</td>
              <td>${formatTime(v.creation_timestamp)}</td>
              <td>${v.servable ? 'irisops' : html`<span class="badge warn">not irisops</span>`}</td>
              ${state.csrfToken === null ? '' : html`<td>${aliasForm(state, m.name, v)}</td>`}
            </tr>`,
        )}
      </tbody>
    </table>
    ${historyTable(m, moves)}
  </section>`;
}

export function registryBody(
  state: RegistryState,
  list: RegistryList,
  moves: Record<string, AliasMove[]> = {},
): Html {
  const outcome = state.outcome
    ? notice(state.outcome.ok ? 'ok' : 'error', state.outcome.message, state.outcome.hint)
    : '';
  if (list.models.length === 0)
    return html`<h1>Registry</h1>
      ${outcome}${notice('ok', 'no registered models yet', 'register one with: irisops train')}`;
  return html`<h1>Registry</h1>
    ${outcome}${list.models.map((m) => modelSection(state, m, moves[m.name] ?? []))}`;
}
