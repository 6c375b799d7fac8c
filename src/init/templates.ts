/**
 * The files init writes live in templates/ (shipped in the npm package). A template holds
 * `{{name}}` placeholders; rendering refuses an unknown or unused one, so a typo in a
 * template fails the tests instead of shipping a literal `{{...}}`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { packageRoot } from '../schemas/index.js';

export const templateDir = path.join(packageRoot, 'templates');

export type TemplateVars = Record<string, string | number>;

export function renderText(name: string, text: string, vars: TemplateVars): string {
  const used = new Set<string>();
  const out = text.replace(/\{\{([a-z_]+)\}\}/g, (_, key: string) => {
    const value = vars[key];
    if (value === undefined)
      throw new Error(`template ${name} uses {{${key}}}, which has no value`);
    used.add(key);
    return String(value);
  });
  const unused = Object.keys(vars).filter((k) => !used.has(k));
  if (unused.length > 0) throw new Error(`template ${name} does not use ${unused.join(', ')}`);
  return out;
}

export function renderTemplate(name: string, vars: TemplateVars): string {
  return renderText(name, readFileSync(path.join(templateDir, name), 'utf8'), vars);
}
