import t from 'tap';
import { createServer, type AddressInfo } from 'node:net';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers/temp.js';
import type { CommandRunner } from '../../src/verify/index.js';
import { check, verifyDeps } from './helpers.js';

/** a fake docker/podman: `images` exist, `running` containers run, the engine answers unless `down` */
function engine({ images = [] as string[], running = [] as string[], down = false } = {}): {
  runCommand: CommandRunner;
  calls: string[][];
} {
  const calls: string[][] = [];
  const runCommand: CommandRunner = async (cmd, args) => {
    calls.push([path.basename(cmd), ...args]);
    if (args[0] === '--version')
      return { code: 0, stdout: `${path.basename(cmd)} version 9.9.9\n`, stderr: '' };
    if (down)
      return {
        code: 1,
        stdout: '',
        stderr: 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.',
      };
    if (args[0] === 'ps' && args[1] === '-q') return { code: 0, stdout: '', stderr: '' };
    if (args[0] === 'image')
      return images.includes(args.at(-1) ?? '')
        ? { code: 0, stdout: 'sha256:0123456789abcdef\n', stderr: '' }
        : { code: 125, stdout: '', stderr: 'no such image' };
    if (args[0] === 'ps')
      return { code: 0, stdout: running.map((n) => `${n}\n`).join(''), stderr: '' };
    return { code: 1, stdout: '', stderr: 'unexpected' };
  };
  return { runCommand, calls };
}

const only =
  (...names: string[]) =>
  (name: string) =>
    names.includes(name) ? `/usr/bin/${name}` : null;

t.test(
  '[docker] passes with docker or podman, falls back to podman when the docker daemon is down, warns without any',
  async (t) => {
    const dir = tempDir(t);
    t.match(
      await check('docker', verifyDeps(dir, { findExecutable: only('docker'), ...engine() })),
      { status: 'pass', message: 'docker version 9.9.9 (/usr/bin/docker)' },
    );
    t.match(
      await check('docker', verifyDeps(dir, { findExecutable: only('podman'), ...engine() })),
      { status: 'pass', message: /podman version 9\.9\.9/ },
    );
    const none = await check('docker', verifyDeps(dir, { findExecutable: only() }));
    t.match(none, {
      status: 'warn',
      level: 'warn',
      message: 'neither docker nor podman is on PATH',
      hint: /install Docker/,
    });
    t.match(await check('docker', verifyDeps(dir, { findExecutable: only() }), true), {
      status: 'fail',
    });
    const down = await check(
      'docker',
      verifyDeps(dir, { findExecutable: only('docker'), ...engine({ down: true }) }),
    );
    t.match(down, {
      status: 'warn',
      message: /docker is installed but its engine does not answer: Cannot connect/,
      hint: /systemctl start docker/,
    });
    // a real PATH lookup: an executable file named podman
    const bin = tempDir(t);
    writeFileSync(path.join(bin, 'podman'), '#!/bin/sh\necho "podman version 1.2.3"\n', {
      mode: 0o755,
    });
    const { executableFinder, runCommand } = await import('../../src/verify/index.js');
    if (process.platform !== 'win32') {
      t.match(
        await check(
          'docker',
          verifyDeps(dir, { findExecutable: executableFinder({ PATH: bin }), runCommand }),
        ),
        { status: 'pass', message: /podman version 1\.2\.3/ },
      );
    }
  },
);

t.test(
  '[image] passes when the project image exists, warns with the build command otherwise',
  async (t) => {
    const dir = tempDir(t);
    writeFileSync(
      path.join(dir, 'irisops.config.json'),
      JSON.stringify({ project: 'My Workshop!' }),
    );
    t.match(
      await check(
        'image',
        verifyDeps(dir, { findExecutable: only('podman'), ...engine({ images: ['my-workshop'] }) }),
      ),
      { status: 'pass', message: 'image my-workshop exists (0123456789ab)' },
    );
    t.match(
      await check('image', verifyDeps(dir, { findExecutable: only('podman'), ...engine() })),
      {
        status: 'warn',
        message: 'no image my-workshop (and no Dockerfile here)',
        hint: 'irisops init --yes --no-ci && podman build -t my-workshop .',
      },
    );
    writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\n');
    t.match(
      await check('image', verifyDeps(dir, { findExecutable: only('docker'), ...engine() })),
      { hint: 'docker build -t my-workshop .' },
    );
    t.match(await check('image', verifyDeps(tempDir(t), { findExecutable: only() })), {
      status: 'warn',
      message: 'skipped: no working container CLI',
    });
    t.match(
      await check(
        'image',
        verifyDeps(tempDir(t), {
          findExecutable: only('docker'),
          ...engine({ images: ['irisops'] }),
        }),
      ),
      { status: 'pass', message: /image irisops exists/ },
      'no project name: irisops',
    );
  },
);

t.test(
  '[container] passes when a container runs from the image, warns with the run command otherwise',
  async (t) => {
    const dir = tempDir(t);
    writeFileSync(
      path.join(dir, 'irisops.config.json'),
      JSON.stringify({ project: 'iris', port: 8123 }),
    );
    const up = engine({ images: ['iris'], running: ['iris'] });
    t.match(await check('container', verifyDeps(dir, { findExecutable: only('docker'), ...up })), {
      status: 'pass',
      message: 'container iris running from image iris',
    });
    t.ok(
      up.calls.some((c) => c.join(' ') === 'docker ps --filter ancestor=iris --format {{.Names}}'),
    );
    t.match(
      await check(
        'container',
        verifyDeps(dir, { findExecutable: only('docker'), ...engine({ images: ['iris'] }) }),
      ),
      {
        status: 'warn',
        hint: 'docker run -d --name iris -p 8123:8123 -e PORT=8123 iris',
      },
    );
    t.match(
      await check('container', verifyDeps(dir, { findExecutable: only('docker'), ...engine() })),
      {
        hint: 'docker build -t iris . && docker run -d --name iris -p 8123:8123 -e PORT=8123 iris',
      },
    );
    t.match(
      await check(
        'container',
        verifyDeps(dir, { findExecutable: only('docker'), ...engine() }),
        true,
      ),
      { status: 'fail' },
    );
  },
);

t.test(
  '[container] maps a free host port when the service already holds the configured one',
  async (t) => {
    const held = createServer();
    await new Promise<void>((resolve) => held.listen(0, '127.0.0.1', resolve));
    t.teardown(() => new Promise<void>((resolve) => held.close(() => resolve())));
    const port = (held.address() as AddressInfo).port;
    const dir = tempDir(t);
    writeFileSync(path.join(dir, 'irisops.config.json'), JSON.stringify({ project: 'iris', port }));
    const outcome = await check(
      'container',
      verifyDeps(dir, { findExecutable: only('docker'), ...engine({ images: ['iris'] }) }),
    );
    const mapped = new RegExp(
      `^docker run -d --name iris -p (\\d+):${port} -e PORT=${port} iris$`,
    ).exec(outcome.hint ?? '');
    t.ok(mapped, outcome.hint ?? 'no hint');
    t.not(Number(mapped?.[1]), port, 'not the port the service holds');
    t.match(outcome.message, new RegExp(`port ${port} is in use here`));
  },
);
