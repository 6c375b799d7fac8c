/**
 * OpenAPI 3.1 assembled from the schema files: each becomes a component named by its
 * title, so the document and the validators can never disagree.
 */
import { loadSchema } from '../schemas/index.js';

type Json = Record<string, unknown>;

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
] as const;

export function buildOpenApi(version: string): Json {
  const components: Record<string, Json> = {};
  const ref: Record<string, Json> = {};
  for (const name of SCHEMAS) {
    // $id and $schema are the file's identity; inside the document the component name is
    const schema: Json = { ...loadSchema(name) };
    delete schema.$id;
    delete schema.$schema;
    const title = String(schema.title);
    components[title] = schema;
    ref[name] = { $ref: `#/components/schemas/${title}` };
  }
  const json = (schema: Json) => ({ 'application/json': { schema } });
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: ref.problem } },
  });
  const errors = {
    '400': problem('malformed JSON or malformed HTTP'),
    '413': problem('body larger than --max-body'),
    '415': problem('unsupported content type'),
    '422': problem('the body does not match the schema; every error is listed'),
    '503': problem('no model loaded'),
  };
  const text = (description: string) => ({
    description,
    content: { 'text/plain': { schema: { type: 'string' } } },
  });
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'irisops',
      version,
      description:
        'Iris species classifier served by irisops. Errors are RFC 9457 problem details.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    paths: {
      '/': {
        get: {
          summary: 'service info',
          responses: {
            '200': { description: 'service info', content: json(ref['service-info'] as Json) },
          },
        },
      },
      '/health': {
        get: {
          summary: 'health check',
          responses: {
            '200': { description: 'a model is loaded', content: json(ref.health as Json) },
            '503': {
              description: 'no model loaded, or shutting down',
              content: json(ref.health as Json),
            },
          },
        },
      },
      '/contract': {
        get: {
          summary: 'input and output schemas of /predict',
          responses: {
            '200': { description: 'the schema files', content: json(ref.contract as Json) },
          },
        },
      },
      '/predict': {
        post: {
          summary: 'classify one flower',
          requestBody: { required: true, content: json(ref['predict-request'] as Json) },
          responses: {
            '200': { description: 'prediction', content: json(ref['predict-response'] as Json) },
            ...errors,
          },
        },
      },
      '/predict/batch': {
        post: {
          summary: 'classify many flowers',
          requestBody: { required: true, content: json(ref['batch-request'] as Json) },
          responses: {
            '200': {
              description: 'one prediction per instance',
              content: json(ref['batch-response'] as Json),
            },
            ...errors,
          },
        },
      },
      '/invocations': {
        post: {
          summary: "MLflow's scoring protocol",
          requestBody: {
            required: true,
            content: {
              ...json(ref['invocations-request'] as Json),
              'text/csv': {
                schema: {
                  type: 'string',
                  description: 'a header row naming the four features, then one row per flower',
                },
              },
            },
          },
          responses: {
            '200': {
              description: 'class indices',
              content: json(ref['invocations-response'] as Json),
            },
            ...errors,
          },
        },
      },
      '/ping': {
        get: {
          summary: "MLflow's liveness check",
          responses: {
            '200': { description: 'a model is loaded' },
            '503': problem('no model loaded'),
          },
        },
      },
      '/version': {
        get: { summary: 'irisops version', responses: { '200': text('the version') } },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          responses: { '200': text('Prometheus text format') },
        },
      },
    },
    components: { schemas: components },
  };
}
