/** The routes: browsing pages, the registry page and its form, the JSON API. */
import { InvalidParameterError, IrisopsError } from '../errors.js';
import type { UiAliasRequest } from '../schemas/types.js';
import { parseJson, readBody } from '../serve/body.js';
import { HttpProblem } from '../serve/problem.js';
import type { Route } from '../serve/router.js';
import {
  createKit,
  createResponder,
  MAX_BODY,
  required,
  statusOf,
  type HandlerOptions,
  type UiExchange,
  type UiHandler,
  type UiKit,
} from './handlers.js';
import { notice, STYLESHEET } from './layout.js';
import { compareBody, runBody } from './pages-run.js';
import { registryBody, type RegistryState } from './pages-registry.js';
import { experimentsBody, runsBody } from './pages-runs.js';
import * as q from './queries.js';

type Outcome = NonNullable<RegistryState['outcome']>;

export function browseRoutes(kit: UiKit): Route<UiHandler>[] {
  const { o, page, frame, runsState, runsQuery, compareState } = kit;
  return [
    {
      method: 'GET',
      path: '/',
      handler: async (ex) =>
        page(ex, frame('Experiments', 'experiments'), experimentsBody(await q.listExperiments(o))),
    },
    {
      method: 'GET',
      path: '/runs',
      handler: async (ex) => {
        const state = await runsState(ex);
        try {
          const list = await q.readRunsPage(o, runsQuery(state));
          page(
            ex,
            frame(`Runs of ${state.experimentName}`, 'experiments'),
            runsBody(state, list, null),
          );
        } catch (error) {
          // a filter or sort that does not parse is shown above the table, not as an error page
          if (!(error instanceof InvalidParameterError)) throw error;
          const err = notice(
            'error',
            error.message,
            "MLflow filter syntax, e.g. metrics.accuracy > 0.9 and params.max_depth = '5'",
          );
          page(
            ex,
            frame(`Runs of ${state.experimentName}`, 'experiments'),
            // 200: the page is the answer (the form, the message); the API says 400
            runsBody(state, null, err),
          );
        }
      },
    },
    {
      method: 'GET',
      path: '/run',
      handler: async (ex) => {
        const data = await q.readRunPage(o, required(ex.params, 'id', 'the run id'));
        page(ex, frame(`Run ${data.detail.run_name}`, 'experiments'), runBody(data));
      },
    },
    {
      method: 'GET',
      path: '/compare',
      handler: async (ex) => {
        const state = compareState(ex);
        const runs = await q.readCompared(o, state.runIds);
        page(ex, frame('Compare runs', 'experiments'), compareBody(state, runs));
      },
    },
  ];
}

export function registryRoutes(kit: UiKit): Route<UiHandler>[] {
  const { o, page, frame, send, guardWrite, promote, remember, outcomes } = kit;
  return [
    {
      method: 'GET',
      path: '/registry',
      handler: async (ex) => {
        const list = await q.readRegistryList(o, ex.params.get('model') ?? undefined);
        const id = ex.params.get('outcome');
        const state: RegistryState = {
          csrfToken: o.readOnly ? null : o.token,
          defaultAlias: o.defaultAlias,
          outcome: (id && outcomes.get(id)) || null,
        };
        const moves = await q.readRecentMoves(o, list);
        page(ex, frame('Registry', 'registry'), registryBody(state, list, moves));
      },
    },
    {
      method: 'POST',
      path: '/registry/alias',
      handler: async (ex) => {
        const form = new URLSearchParams((await readBody(ex.req, MAX_BODY)).toString('utf8'));
        guardWrite(ex, form.get('csrf') ?? undefined);
        let outcome: Outcome;
        try {
          const r = await promote({
            model: form.get('model') ?? '',
            version: form.get('version') ?? '',
            alias: form.get('alias') ?? '',
            if_better: form.get('if_better') === '1',
          });
          const from = r.previous_version ? `v${r.previous_version}` : 'unset';
          const was =
            r.compared?.current != null
              ? ` (accuracy ${r.compared.candidate?.toFixed(4)}, was ${r.compared.current.toFixed(4)})`
              : '';
          outcome = { ok: true, message: `${r.name} @${r.alias}: ${from} → v${r.version}${was}` };
        } catch (error) {
          if (!(error instanceof IrisopsError) || statusOf(error) >= 500) throw error;
          outcome = { ok: false, message: `not moved: ${error.message}`, hint: error.hint };
        }
        // post, redirect, get: a reload does not move the alias again
        ex.res.writeHead(303, { location: `/registry?outcome=${remember(outcome)}` });
        ex.res.end();
      },
    },
    {
      method: 'GET',
      path: '/artifact',
      handler: async (ex) => {
        const path = required(ex.params, 'path', 'the artifact path');
        const bytes = await q.readArtifactFile(o, required(ex.params, 'run', 'the run id'), path);
        const name = path.split('/').pop() ?? 'artifact';
        ex.res.setHeader(
          'content-disposition',
          `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`,
        );
        // an artifact is the user's file: never run as a page of this origin
        ex.res.setHeader('content-security-policy', "default-src 'none'; sandbox");
        send(ex, 200, 'application/octet-stream', bytes);
      },
    },
    {
      method: 'GET',
      path: '/ui.css',
      handler: async (ex) => {
        ex.res.setHeader('cache-control', 'public, max-age=3600');
        send(ex, 200, 'text/css; charset=utf-8', STYLESHEET);
      },
    },
  ];
}

export function apiRoutes(kit: UiKit): Route<UiHandler>[] {
  const { o, json, guardWrite, runsState, runsQuery, promote } = kit;
  return [
    {
      method: 'GET',
      path: '/api/experiments',
      handler: async (ex) => json(ex, await q.listExperiments(o)),
    },
    {
      method: 'GET',
      path: '/api/runs',
      handler: async (ex) => json(ex, await q.readRunsPage(o, runsQuery(await runsState(ex)))),
    },
    {
      method: 'GET',
      path: '/api/run',
      handler: async (ex) =>
        json(ex, (await q.readRunPage(o, required(ex.params, 'id', 'the run id'))).detail),
    },
    {
      method: 'GET',
      path: '/api/registry',
      handler: async (ex) =>
        json(ex, await q.readRegistryList(o, ex.params.get('model') ?? undefined)),
    },
    {
      method: 'POST',
      path: '/api/alias',
      handler: async (ex) => {
        const header = ex.req.headers['x-csrf-token'];
        guardWrite(ex, typeof header === 'string' ? header : undefined);
        const body = parseJson(await readBody(ex.req, MAX_BODY));
        const { validatorFor, describeErrors } = await import('../schemas/index.js');
        const validate = validatorFor<UiAliasRequest>('ui-alias-request');
        if (!validate(body)) {
          const issue = describeErrors(validate.errors)[0];
          throw new HttpProblem(
            422,
            `the body ${issue?.path || ''} ${issue?.message ?? 'is invalid'}`.replace(/\s+/g, ' '),
          );
        }
        json(ex, await promote(body));
      },
    },
  ];
}

/** Every route of the UI with the kit its handlers share (handlers.ts). */
export function createHandlers(o: HandlerOptions) {
  const responder = createResponder(o);
  const kit: UiKit = { ...responder, ...createKit(o) };
  const { run, refuse } = responder;
  return {
    routes: [...browseRoutes(kit), ...registryRoutes(kit), ...apiRoutes(kit)],
    run,
    refuse,
    notFound: (ex: UiExchange) =>
      refuse(ex, 404, `no such page: ${ex.path}`, 'start from the experiments page: /'),
  };
}
