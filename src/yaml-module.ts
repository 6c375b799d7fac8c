/**
 * The `yaml` package, loaded on first use: it costs tens of milliseconds to load, and most
 * runs of most commands never need it (meta.yaml goes through tracking/local/meta-yaml.ts),
 * so a command that starts up pays for it only when a document needs the full library.
 */
import { createRequire } from 'node:module';

type Yaml = typeof import('yaml');

let loaded: Yaml | undefined;

export function yamlModule(): Yaml {
  // `yaml` ships a CommonJS build for node, so require() loads it synchronously
  loaded ??= createRequire(import.meta.url)('yaml') as Yaml;
  return loaded;
}
