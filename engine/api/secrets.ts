/**
 * `import secrets from 'loadts/secrets'` (also 'k6/secrets'): secrets from the --secret-source
 * flags (file=PATH, env=PREFIX, mock=name=value). Their values are redacted from everything loadts
 * prints (`***SECRET_REDACTED***`), while the script uses them as they are.
 * @module loadts/secrets
 */
import { secretSources } from '../secrets/store.js';
import type { SecretSource } from '../secrets/sources.js';

/** One secret source: its secrets by name. */
export interface SecretSourceHandle {
  get(name: string): Promise<string>;
}

function lookup(source: SecretSource, name: string): Promise<string> {
  if (typeof name !== 'string' || name === '') return Promise.reject(new TypeError('secrets.get() needs the secret\'s name'));
  if (!Object.hasOwn(source.values, name)) return Promise.reject(new Error(`no secret named ${JSON.stringify(name)} in secret source ${JSON.stringify(source.name)}`));
  return Promise.resolve(source.values[name]!);
}

/** The secret `name` from the default source (the first --secret-source, or the one marked default). */
export function get(name: string): Promise<string> {
  const source = secretSources().find((s) => s.isDefault);
  if (source === undefined) return Promise.reject(new Error('no secret source: run with --secret-source (file=PATH, env=PREFIX or mock=name=value)'));
  return lookup(source, name);
}

/** The source named `name` (its `name=`, else its kind: file, env, mock). */
export function source(name: string): SecretSourceHandle {
  const found = secretSources().find((s) => s.name === name);
  if (found === undefined) {
    const known = secretSources().map((s) => s.name);
    throw new Error(`no secret source named ${JSON.stringify(name)}${known.length > 0 ? ` (sources: ${known.join(', ')})` : ': run with --secret-source'}`);
  }
  return { get: (secret: string) => lookup(found, secret) };
}

export default { get, source };
