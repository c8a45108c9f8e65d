// Paths and file loading shared by the lint tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { type ActionMetadata, actionMetadata } from './action-schema.ts';

export const ROOT = resolve(import.meta.dirname, '../..');

export function read(path: string): string {
  return readFileSync(join(ROOT, path), 'utf8');
}

export function readIfExists(path: string): string | undefined {
  return existsSync(join(ROOT, path)) ? read(path) : undefined;
}

/** `.github/workflows/*.yml` and `*.yaml`, as paths from the repository root. */
export function workflowFiles(): string[] {
  const dir = join(ROOT, '.github/workflows');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => `.github/workflows/${name}`);
}

/** action.yml as parsed YAML, unchecked. */
export function rawActionYml(): unknown {
  return parse(read('action.yml'));
}

/** action.yml checked against the schema; throws with every problem when it does not conform. */
export function actionYml(): ActionMetadata {
  return actionMetadata.parse(rawActionYml());
}

export function packageJson(): { repository?: unknown; name?: string; scripts?: Record<string, string> } {
  return JSON.parse(read('package.json'));
}
