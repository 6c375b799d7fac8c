/**
 * OpenAPI 3.1 assembled from the schema files: each becomes a component named by its
 * title, so the document and the validators can never disagree. The examples come from
 * schemas/examples.json: real rows and real answers, checked by
 * test/serve/openapi-examples.test.ts. No jsonSchemaDialect: OpenAPI 3.1's default dialect
 * is JSON Schema 2020-12, and Swagger UI warns about any other value.
 */
import { readFileSync } from 'node:fs';
import { loadSchema, schemaDir } from '../schemas/index.js';

type Json = Record<string, unknown>;

interface Example {
  path: string;
  content_type: string;
  request: unknown;
  status: number;
  response: Json;
}

function readExamples(): Example[] {
  return JSON.parse(readFileSync(`${schemaDir}examples.json`, 'utf8')) as Example[];
}

const SCHEMAS = [
  'predict-request',
  'predict-response',
  'batch-request',
  'batch-response',
  'invocations-request',
  'invocations-response',
  'health',
  'service-info',
  'contract',
  'problem',
  'drift-report',
  'feedback-request',
  'feedback-response',
  'ab-report',
] as const;

function components(): { schemas: Record<string, Json>; ref: Record<string, Json> } {
  const schemas: Record<string, Json> = {};
  const ref: Record<string, Json> = {};
  for (const name of SCHEMAS) {
    // $id and $schema are the file's identity; inside the document the component name is
    const schema: Json = { ...loadSchema(name) };
    delete schema.$id;
    delete schema.$schema;
    const title = String(schema.title);
    schemas[title] = schema;
    ref[name] = { $ref: `#/components/schemas/${title}` };
  }
  return { schemas, ref };
}

/** The building blocks of a path entry: bodies by schema name, with their real examples. */
function pathKit(ref: Record<string, Json>, examples: Example[]) {
  const answer = (path: string, status: number) =>
    examples.find((e) => e.path === path && e.status === status);
  const withExample = (media: Json, example: unknown) =>
    example === undefined ? media : { ...media, example };
  const json = (name: string, example?: unknown) => ({
    'application/json': withExample({ schema: ref[name] }, example),
  });
  const problem = (description: string, status?: number) => ({
    description,
    content: {
      'application/problem+json': withExample(
        { schema: ref.problem },
        status === undefined ? undefined : answer('/predict', status)?.response,
      ),
    },
  });
  return {
    json,
    problem,
    errors: {
      '400': problem('malformed JSON or malformed HTTP', 400),
      '413': problem('body larger than --max-body', 413),
      '415': problem('unsupported content type', 415),
      '422': problem('the body does not match the schema; every error is listed', 422),
      '503': problem('no model loaded', 503),
    },
    request: (path: string, name: string) => ({
      required: true,
      content: json(name, answer(path, 200)?.request),
    }),
    ok: (path: string, name: string, description: string) => ({
      description,
      content: json(name, answer(path, 200)?.response),
    }),
    text: (description: string) => ({
      description,
      content: { 'text/plain': { schema: { type: 'string' } } },
    }),
  };
}

type PathKit = ReturnType<typeof pathKit>;

function infoPaths(k: PathKit): Json {
  return {
    '/': {
      get: {
        summary: 'service info',
        responses: { '200': { description: 'service info', content: k.json('service-info') } },
      },
    },
    '/health': {
      get: {
        summary: 'health check',
        responses: {
          '200': { description: 'a model is loaded', content: k.json('health') },
          '503': { description: 'no model loaded, or shutting down', content: k.json('health') },
        },
      },
    },
    '/contract': {
      get: {
        summary: 'input and output schemas of /predict',
        responses: { '200': { description: 'the schema files', content: k.json('contract') } },
      },
    },
    '/ping': {
      get: {
        summary: "MLflow's liveness check",
        responses: {
          '200': { description: 'a model is loaded' },
          '503': k.problem('no model loaded'),
        },
      },
    },
    '/drift': {
      get: {
        summary: "the live input window against the model's training profile",
        parameters: [
          {
            name: 'model_version',
            in: 'query',
            required: false,
            schema: { type: 'string' },
            description: 'a version served before (default: the one serving now)',
          },
        ],
        responses: {
          '200': { description: 'the drift report', content: k.json('drift-report') },
          '404': k.problem('drift detection is off, or no inputs were seen for that version'),
          '409': k.problem('the model has no reference profile'),
          '503': k.problem('no model loaded'),
        },
      },
    },
    '/version': {
      get: { summary: 'irisops version', responses: { '200': k.text('the version') } },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics',
        responses: { '200': k.text('Prometheus text format') },
      },
    },
  };
}

function predictionPaths(k: PathKit): Json {
  const csv = {
    schema: {
      type: 'string',
      description: 'a header row naming the four features, then one row per flower',
    },
  };
  return {
    '/predict': {
      post: {
        summary: 'classify one flower',
        requestBody: k.request('/predict', 'predict-request'),
        responses: { '200': k.ok('/predict', 'predict-response', 'prediction'), ...k.errors },
      },
    },
    '/predict/batch': {
      post: {
        summary: 'classify many flowers',
        requestBody: k.request('/predict/batch', 'batch-request'),
        responses: {
          '200': k.ok('/predict/batch', 'batch-response', 'one prediction per instance'),
          ...k.errors,
        },
      },
    },
    '/invocations': {
      post: {
        summary: "MLflow's scoring protocol",
        requestBody: {
          required: true,
          content: {
            ...k.request('/invocations', 'invocations-request').content,
            'text/csv': csv,
          },
        },
        responses: {
          '200': k.ok('/invocations', 'invocations-response', 'class indices'),
          ...k.errors,
        },
      },
    },
  };
}

/** The rollout's endpoints: labels for earlier answers, and the A/B report. */
function rolloutPaths(k: PathKit): Json {
  return {
    '/feedback': {
      post: {
        summary: 'true labels of earlier answers, matched by their x-request-id',
        requestBody: { required: true, content: k.json('feedback-request') },
        responses: {
          '200': { description: 'how many matched', content: k.json('feedback-response') },
          ...k.errors,
        },
      },
    },
    '/ab': {
      get: {
        summary: 'per-variant accuracy and the challenger tested against the champion',
        responses: { '200': { description: 'the A/B report', content: k.json('ab-report') } },
      },
    },
  };
}

export function buildOpenApi(version: string): Json {
  const { schemas, ref } = components();
  const k = pathKit(ref, readExamples());
  return {
    openapi: '3.1.0',
    info: {
      title: 'irisops',
      version,
      description:
        'Iris species classifier served by irisops. Errors are RFC 9457 problem details.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: { ...infoPaths(k), ...predictionPaths(k), ...rolloutPaths(k) },
    components: { schemas },
  };
}
