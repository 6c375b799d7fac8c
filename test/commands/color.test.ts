/**
 * Colour is decided per stream, under a real pseudo-terminal (util-linux `script`): the
 * terminal stream gets colour, a piped or redirected one never does.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { bin, cleanEnv } from '../helpers/cli.js';
import { tempDir, trainInto } from '../helpers/fixtures.js';
import { LocalStore } from '../../src/tracking/local/index.js';

const ANSI = /\x1b\[/;
const hasScript = spawnSync('script', ['--version']).status === 0;

/** Runs `shell` inside a pty sized 100 columns; returns what the pty showed. */
function inPty(shell: string, cwd: string): { code: number | null; shown: string } {
  const r = spawnSync('script', ['-qec', `stty cols 100 rows 40; ${shell}`, '/dev/null'], {
    cwd,
    env: cleanEnv({ TERM: 'xterm-256color', NODE_ENV: undefined, CI: undefined }),
    encoding: 'utf8',
    input: '',
    timeout: 120_000,
  });
  return { code: r.status, shown: r.stdout };
}

t.test(
  'runs ls | cat prints no ANSI codes while stderr is a terminal; on the terminal it is coloured',
  { skip: hasScript ? false : 'needs util-linux script for a pseudo-terminal' },
  async (t) => {
    const dir = tempDir(t);
    const store = new LocalStore(path.join(dir, 'mlruns'), { now: () => Date.now() });
    await trainInto(store);
    await store.setAlias('iris_classifier', 'production', '1');
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)}`;
    const piped = inPty(`${cli} runs ls | cat`, dir);
    t.equal(piped.code, 0, piped.shown);
    t.match(piped.shown, /@production/);
    t.notMatch(piped.shown, ANSI, 'stdout is a pipe: plain');
    const direct = inPty(`${cli} runs ls`, dir);
    t.equal(direct.code, 0, direct.shown);
    t.match(direct.shown, ANSI, 'stdout is the terminal: coloured');
    const noColor = inPty(`NO_COLOR=1 ${cli} runs ls`, dir);
    t.notMatch(noColor.shown.replace(/\x1b\[\?25[hl]/g, ''), ANSI, 'NO_COLOR wins');
  },
);

t.test(
  'train 2>log writes no ANSI codes into log, while the terminal stdout stays coloured',
  { skip: hasScript ? false : 'needs util-linux script for a pseudo-terminal' },
  async (t) => {
    const dir = tempDir(t);
    const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)}`;
    const r = inPty(`${cli} train --n-estimators 5 2>log`, dir);
    t.equal(r.code, 0, r.shown);
    const log = readFileSync(path.join(dir, 'log'), 'utf8');
    t.match(log, /✔ fit forest/, 'progress lines in the log');
    t.notMatch(log, ANSI, 'no colour codes in the log');
    t.match(r.shown, ANSI, 'the result on the terminal is coloured');
    const both = inPty(`${cli} train --n-estimators 5`, dir);
    t.equal(both.code, 0, both.shown);
    t.match(both.shown, /✔/);
  },
);
