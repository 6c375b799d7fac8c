/**
 * A production MLflow, started by the test itself: a throwaway PostgreSQL cluster (Debian's
 * postgresql, run as the postgres user when this process is root) as the backend store,
 * moto's S3 server as the artifact store, and `mlflow server --artifacts-destination s3://…`
 * over both, each on an ephemeral loopback port. Everything is removed at teardown.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startMlflowServer, type MlflowServer } from './mlflow-server.js';

interface TapLike {
  teardown(fn: () => void | Promise<void>): void;
}

/** Debian puts the server binaries under /usr/lib/postgresql/<major>/bin. */
export function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const major = readdirSync(base).sort().pop();
  const bin = major && path.join(base, major, 'bin');
  return bin && existsSync(path.join(bin, 'pg_ctl')) ? bin : null;
}

function postgresUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const uid = id('-u');
  return uid.status === 0 ? { uid: Number(uid.stdout), gid: Number(id('-g').stdout) } : null;
}

function runPg(
  bin: string,
  tool: string,
  args: string[],
  user: { uid: number; gid: number } | null,
) {
  const run = spawnSync(path.join(bin, tool), args, {
    encoding: 'utf8',
    timeout: 60_000,
    ...(user ? { uid: user.uid, gid: user.gid } : {}),
  });
  if (run.status !== 0) throw new Error(`${tool} failed: ${run.stderr}${run.stdout}`);
}

export async function startPostgres(
  t: TapLike,
  bin: string,
): Promise<{ url: string; port: number }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'irisops-pg-'));
  const user = postgresUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  runPg(bin, 'initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8'], user);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  runPg(
    bin,
    'pg_ctl',
    ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', 'start'],
    user,
  );
  t.teardown(() => {
    spawnSync(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], {
      timeout: 30_000,
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
    });
    rmSync(dir, { recursive: true, force: true });
  });
  runPg(bin, 'createdb', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', 'mlflow'], user);
  return { url: `postgresql://postgres@127.0.0.1:${port}/mlflow`, port };
}

/** moto's S3 server with one bucket; the AWS settings MLflow and boto3 need to reach it. */
export async function startMoto(
  t: TapLike,
  python: string,
  bucket: string,
): Promise<{ endpoint: string; env: Record<string, string> }> {
  const port = await freePort();
  const child = spawn(python, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore',
    detached: true,
  });
  t.teardown(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {
      // already gone
    }
  });
  const endpoint = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    // moto accepts unsigned requests: creating the bucket is one PUT
    const made = await fetch(`${endpoint}/${bucket}`, { method: 'PUT' }).catch(() => null);
    if (made?.ok) {
      const env = {
        MLFLOW_S3_ENDPOINT_URL: endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_DEFAULT_REGION: 'us-east-1',
      };
      return { endpoint, env };
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('moto server did not answer within 30 s');
}

export interface ProductionMlflow extends MlflowServer {
  postgresUrl: string;
  s3Endpoint: string;
  bucket: string;
}

export async function startProductionMlflow(
  t: TapLike,
  python: string,
  bin: string,
): Promise<ProductionMlflow> {
  const bucket = 'irisops-artifacts';
  const pg = await startPostgres(t, bin);
  const s3 = await startMoto(t, python, bucket);
  const server = await startMlflowServer(t, python, {
    backendStoreUri: pg.url,
    artifactsDestination: `s3://${bucket}/mlartifacts`,
    env: s3.env,
    timeoutMs: 120_000,
  });
  return { ...server, postgresUrl: pg.url, s3Endpoint: s3.endpoint, bucket };
}
