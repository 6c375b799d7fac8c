/**
 * [docker] a container CLI (docker, else podman) is on PATH and answers --version;
 * [image] the project's image exists; [container] a container from it is running.
 * All three are warn-level: a workshop can be all green without a container engine.
 * (In sandboxes without PID namespaces an image can be built but not run: [container] then
 * stays a warning.)
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readConfigFile } from '../../config/resolve.js';
import { imageName } from '../../init/project.js';
import { Prerequisite, type CheckOutcome } from '../types.js';
import { freeHostPort } from '../ports.js';
import type { VerifyState } from '../state.js';

export interface ContainerCli {
  name: 'docker' | 'podman';
  path: string;
  version: string;
  /** CLIs tried before this one, and why they were passed over */
  notes: string[];
}

const cliFacts = new WeakMap<
  VerifyState,
  Promise<ContainerCli | { error: string; hint: string }>
>();

export function containerCli(
  state: VerifyState,
): Promise<ContainerCli | { error: string; hint: string }> {
  let p = cliFacts.get(state);
  if (!p) {
    p = (async () => {
      const problems: string[] = [];
      // the first CLI whose engine answers: a docker client without a daemon falls back to podman
      for (const name of ['docker', 'podman'] as const) {
        const found = state.deps.findExecutable(name);
        if (!found) continue;
        const version = await state.deps.runCommand(found, ['--version'], { timeoutMs: 10_000 });
        if (version.code !== 0) {
          problems.push(`${name} --version failed: ${firstLine(version)}`);
          continue;
        }
        const ps = await state.deps.runCommand(found, ['ps', '-q'], { timeoutMs: 20_000 });
        if (ps.code !== 0) {
          problems.push(`${name} is installed but its engine does not answer: ${firstLine(ps)}`);
          continue;
        }
        return {
          name,
          path: found,
          version: version.stdout.trim().split('\n')[0] ?? name,
          notes: problems,
        };
      }
      if (problems.length === 0)
        return { error: 'neither docker nor podman is on PATH', hint: INSTALL_HINT };
      return { error: problems.join('; '), hint: START_HINT };
    })();
    cliFacts.set(state, p);
  }
  return p;
}

function firstLine(r: { code: number | null; stdout: string; stderr: string }): string {
  return (r.stderr || r.stdout).trim().split('\n')[0] || `exit ${r.code}`;
}

async function needCli(state: VerifyState): Promise<ContainerCli> {
  const cli = await containerCli(state);
  if ('error' in cli) throw new Prerequisite('skipped: no working container CLI', cli.hint);
  return cli;
}

const INSTALL_HINT =
  'install Docker (https://docs.docker.com/get-docker/) or Podman (https://podman.io/docs/installation)';
const START_HINT = 'sudo systemctl start docker (or start Docker Desktop)';

/** the image name init's Dockerfile comments use: the config's project name, else irisops */
export async function projectImage(state: VerifyState): Promise<string> {
  const settings = await state.settingsOrSkip();
  const config = settings.config_file ? await readConfigFile(settings.config_file, true) : null;
  return imageName(config?.project);
}

export async function checkDocker(state: VerifyState): Promise<CheckOutcome> {
  const cli = await containerCli(state);
  if ('error' in cli) return { status: 'fail', message: cli.error, hint: cli.hint };
  return {
    status: 'pass',
    message: `${cli.version} (${cli.path})${cli.notes.length > 0 ? `; ${cli.notes.join('; ')}` : ''}`,
  };
}

export async function checkImage(state: VerifyState): Promise<CheckOutcome> {
  const cli = await needCli(state);
  const image = await projectImage(state);
  const r = await state.deps.runCommand(
    cli.path,
    ['image', 'inspect', '--format', '{{.Id}}', image],
    { timeoutMs: 20_000 },
  );
  if (r.code === 0)
    return {
      status: 'pass',
      message: `image ${image} exists (${r.stdout
        .trim()
        .replace(/^sha256:/, '')
        .slice(0, 12)})`,
    };
  const build = `${cli.name} build -t ${image} .`;
  const hasDockerfile = existsSync(path.join(state.deps.cwd, 'Dockerfile'));
  return {
    status: 'fail',
    message: `no image ${image}${hasDockerfile ? '' : ' (and no Dockerfile here)'}`,
    hint: hasDockerfile ? build : `irisops init --yes --no-ci && ${build}`,
  };
}

export async function checkContainer(state: VerifyState): Promise<CheckOutcome> {
  const cli = await needCli(state);
  const settings = await state.settingsOrSkip();
  const image = await projectImage(state);
  const r = await state.deps.runCommand(
    cli.path,
    ['ps', '--filter', `ancestor=${image}`, '--format', '{{.Names}}'],
    { timeoutMs: 20_000 },
  );
  if (r.code !== 0)
    return { status: 'fail', message: `${cli.name} ps failed: ${firstLine(r)}`, hint: null };
  const names = r.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length > 0)
    return { status: 'pass', message: `container ${names.join(', ')} running from image ${image}` };
  const hasImage =
    (
      await state.deps.runCommand(cli.path, ['image', 'inspect', '--format', '{{.Id}}', image], {
        timeoutMs: 20_000,
      })
    ).code === 0;
  // the port is often held by the irisops serve verify just talked to: map a free one
  const hostPort = await freeHostPort(settings.port);
  const { port } = settings;
  const runIt = `${cli.name} run -d --name ${image} -p ${hostPort}:${port} -e PORT=${port} ${image}`;
  const held =
    hostPort === port
      ? ''
      : ` (port ${port} is in use here, so the command maps free port ${hostPort} to it)`;
  return {
    status: 'fail',
    message: `no running container from image ${image}${held}`,
    hint: hasImage ? runIt : `${cli.name} build -t ${image} . && ${runIt}`,
  };
}
