/** Names derived from the project that init and verify must agree on. */

export const WORKFLOW_FILE = '.github/workflows/irisops.yml';
export const GITIGNORE_FILE = '.gitignore';

/**
 * The container image name: the project name as a valid image name (lowercase letters,
 * digits, separators), or `irisops` when nothing usable is left.
 */
export function imageName(project: string | undefined | null): string {
  const name = (project ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '')
    .replace(/[._-]{2,}/g, '-')
    .slice(0, 128)
    .replace(/[^a-z0-9]+$/, '');
  return name === '' ? 'irisops' : name;
}

/** A word for a POSIX shell (Dockerfile RUN, workflow run:): quoted only when it must be. */
export function shellWord(value: string): string {
  return /^[A-Za-z0-9_.,:/@%+=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}
