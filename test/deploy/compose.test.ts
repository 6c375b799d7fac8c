/**
 * deploy/compose.yaml: the three services of a production MLflow (PostgreSQL, an S3
 * endpoint, mlflow server over both). Parsed here; checked with `docker compose config`
 * where a compose CLI exists (this machine's docker has none, so that part may skip).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';

const file = fileURLToPath(new URL('../../deploy/compose.yaml', import.meta.url));

interface Service {
  image: string;
  command?: string[] | string;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }> | string[];
}

t.test('the compose file runs mlflow server on PostgreSQL with S3 artifacts', async (t) => {
  const compose = parse(readFileSync(file, 'utf8')) as { services: Record<string, Service> };
  const { postgres, s3, mlflow } = compose.services;
  t.match(postgres?.image, /^postgres:/);
  t.match(s3?.image, /^motoserver\/moto:/);
  t.match(mlflow?.image, /^ghcr\.io\/mlflow\/mlflow:v3\.17\.2$/, 'the pinned MLflow');
  const command = ([] as string[]).concat(mlflow?.command ?? []).join(' ');
  t.match(command, /--backend-store-uri postgresql\+psycopg:\/\/\S+@postgres:5432\//);
  t.match(command, /--artifacts-destination s3:\/\//);
  t.equal(mlflow?.environment?.MLFLOW_S3_ENDPOINT_URL, 'http://s3:5000');
  t.same(Object.keys(mlflow?.depends_on ?? {}).sort(), ['postgres', 's3-bucket']);
});

t.test('docker compose config accepts it, where a compose CLI exists', async (t) => {
  const probe = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' });
  if (probe.status !== 0) {
    t.plan(0, 'no docker compose CLI here');
    return;
  }
  const run = spawnSync('docker', ['compose', '-f', file, 'config', '--quiet'], {
    encoding: 'utf8',
  });
  t.equal(run.status, 0, run.stderr);
});
