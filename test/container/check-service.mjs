#!/usr/bin/env node
// HTTP half of the container smoke test (test/container/smoke.sh runs the container):
//
//   node test/container/check-service.mjs wait    BASE_URL TIMEOUT_S [PID]  # /health 200 + model_loaded
//   node test/container/check-service.mjs predict BASE_URL                  # a setosa row -> setosa
//   node test/container/check-service.mjs contract BASE_URL                 # /contract == schemas/*.json, refs inlined
//   node test/container/check-service.mjs docs    BASE_URL                  # /docs and its assets load
//
// Prints one line per check; exits 1 with the reason on the first failure.
/* global AbortSignal */
import { isDeepStrictEqual } from 'node:util';

const [command, baseUrl, ...rest] = process.argv.slice(2);
const root = new URL('../../', import.meta.url);
// the model version the service must report, when the caller knows it
const expectedVersion = process.env.SMOKE_EXPECT_VERSION;

function fail(message) {
  process.stderr.write(`smoke: FAIL ${message}\n`);
  process.exit(1);
}

async function request(path, init = {}) {
  const res = await fetch(new URL(path, baseUrl), { ...init, signal: AbortSignal.timeout(5000) });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, type: res.headers.get('content-type') ?? '', body, text };
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitHealthy(timeoutS, pid) {
  const deadline = Date.now() + Number(timeoutS) * 1000;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (pid && !alive(Number(pid)))
      fail(`the server exited before /health answered (last: ${last})`);
    try {
      const { status, body } = await request('/health');
      last = `${status} ${JSON.stringify(body)}`;
      if (status === 200 && body?.status === 'healthy' && body?.model_loaded === true) {
        if (expectedVersion && body.model_version !== expectedVersion) {
          fail(
            `/health serves version ${body.model_version}, expected ${expectedVersion}: ${last}`,
          );
        }
        console.log(`ok /health ${last}`);
        return;
      }
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  fail(`/health not healthy after ${timeoutS}s (last: ${last})`);
}

async function predictSetosa() {
  const features = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
  const { status, body, text } = await request('/predict', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features }),
  });
  if (status !== 200) fail(`POST /predict answered ${status}: ${JSON.stringify(body)}`);
  if (body.prediction_label !== 'setosa' || body.prediction !== 0) {
    fail(`POST /predict expected setosa (0), got ${JSON.stringify(body)}`);
  }
  if (typeof body.model_version !== 'string') fail(`model_version is not a string: ${text}`);
  if (expectedVersion && body.model_version !== expectedVersion) {
    fail(`POST /predict answered with version ${body.model_version}, expected ${expectedVersion}`);
  }
  // typed clients of the original service read a float: 1.0, never 1
  if (!/"confidence":\s*-?\d+\.\d+/.test(text))
    fail(`confidence is not written as a float: ${text}`);
  console.log(`ok /predict ${text}`);

  const invalid = await request('/predict', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ features: { ...features, petal_width: 'wide' } }),
  });
  if (invalid.status !== 422)
    fail(`POST /predict with a string feature answered ${invalid.status}, expected 422`);
  console.log('ok /predict rejects a wrong type with 422');
}

// /contract serves each schema with its $refs to other schema files inlined: compare with that
// form, as the built loader (npm run build) produces it from schemas/
async function servedSchema(name) {
  const path = `schemas/${name}.schema.json`;
  try {
    const { loadSchema } = await import(new URL('dist/schemas/index.js', root).href);
    return { path, schema: loadSchema(name) };
  } catch (error) {
    fail(`cannot load ${path} through dist/schemas/index.js (${error.message}); run npm run build`);
  }
}

async function checkContract() {
  const { status, body } = await request('/contract');
  if (status !== 200) fail(`GET /contract answered ${status}`);
  const pairs = [
    ['input_schema', await servedSchema('predict-request')],
    ['output_schema', await servedSchema('predict-response')],
  ];
  for (const [key, { path, schema }] of pairs) {
    if (!isDeepStrictEqual(body?.[key], schema)) {
      fail(`/contract ${key} differs from ${path}:\n${JSON.stringify(body?.[key], null, 2)}`);
    }
    console.log(`ok /contract ${key} == ${path}`);
  }
}

// The docs page and every asset it references: proves the image's pruning kept what /docs serves.
async function checkDocs() {
  const page = await request('/docs');
  if (page.status !== 200) fail(`GET /docs answered ${page.status}`);
  const assets = [...page.text.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  if (assets.length === 0) fail('GET /docs references no local assets');
  for (const asset of new Set(assets)) {
    const { status, text } = await request(asset);
    if (status !== 200 || text.length === 0) fail(`GET ${asset} (from /docs) answered ${status}`);
  }
  console.log(`ok /docs and its ${new Set(assets).size} assets`);
}

if (!baseUrl)
  fail('usage: check-service.mjs wait|predict|contract|docs BASE_URL [TIMEOUT_S] [PID]');
if (command === 'wait') await waitHealthy(rest[0] ?? 60, rest[1]);
else if (command === 'predict') await predictSetosa();
else if (command === 'contract') await checkContract();
else if (command === 'docs') await checkDocs();
else fail(`unknown check ${command}`);
