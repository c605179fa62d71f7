import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoadtsError } from '../errors.js';

/** A secret source with its secrets loaded: plain data, sent to every worker thread. */
export interface SecretSource {
  /** Its name for secrets.source(name): the `name=` given, else its kind (file, env, mock). */
  name: string;
  /** secrets.get() reads the default source: the one marked `default`, else the first. */
  isDefault: boolean;
  /** Secret name → value. */
  values: Record<string, string>;
}

function flagError(spec: string, why: string): LoadtsError {
  return new LoadtsError('INVALID_FLAG', `--secret-source ${spec}: ${why}`);
}

/** 'k=v,k2=v2,default' → entries; a bare word is [word, undefined]. */
function list(text: string): Array<[string, string | undefined]> {
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p.trim(), undefined] : [p.slice(0, eq).trim(), p.slice(eq + 1)];
    });
}

/** key=value lines; blank lines and lines starting with # are skipped. */
export function parseSecretsFile(text: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new LoadtsError('INVALID_FLAG', `${where}:${i + 1}: a secret is a key=value line, got ${JSON.stringify(line.length > 40 ? `${line.slice(0, 40)}…` : line)}`);
    out[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return out;
}

/**
 * One --secret-source: `file=PATH` (or `file=name=N,filename=PATH,default`), `env=PREFIX` (or
 * `env=prefix=P,name=N,default`: secret NAME is the variable PREFIX+NAME), `mock=k=v,k2=v2` (with
 * optional `name=N` and `default`). File paths are relative to `cwd`.
 */
export function loadSecretSource(spec: string, env: Readonly<Record<string, string | undefined>>, cwd: string): SecretSource {
  const eq = spec.indexOf('=');
  const kind = eq < 0 ? spec : spec.slice(0, eq);
  const rest = eq < 0 ? '' : spec.slice(eq + 1);
  let name: string = kind;
  let isDefault = false;
  /** Takes `name=` and `default` out of a list; returns the rest. */
  const named = (entries: Array<[string, string | undefined]>) =>
    entries.filter(([k, v]) => {
      if (k === 'name' && v !== undefined && v !== '') name = v;
      else if (k === 'default' && v === undefined) isDefault = true;
      else return true;
      return false;
    });
  switch (kind) {
    case 'file': {
      let path = rest;
      if (/(^|,)filename=/.test(rest)) path = named(list(rest)).find(([k]) => k === 'filename')?.[1] ?? '';
      if (path === '') throw flagError(spec, 'needs a file: file=PATH (key=value lines)');
      const abs = resolve(cwd, path);
      let text: string;
      try {
        text = readFileSync(abs, 'utf8');
      } catch (e) {
        throw flagError(spec, `cannot read ${abs}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      return { name, isDefault, values: parseSecretsFile(text, path) };
    }
    case 'env': {
      let prefix = rest;
      if (/(^|,)prefix=/.test(rest)) prefix = named(list(rest)).find(([k]) => k === 'prefix')?.[1] ?? '';
      if (prefix === '') throw flagError(spec, 'needs a prefix: env=PREFIX (secret NAME is the variable PREFIX+NAME)');
      const values: Record<string, string> = {};
      for (const [k, v] of Object.entries(env)) if (k.startsWith(prefix) && k.length > prefix.length && v !== undefined) values[k.slice(prefix.length)] = v;
      return { name, isDefault, values };
    }
    case 'mock': {
      const values: Record<string, string> = {};
      for (const [k, v] of named(list(rest))) {
        if (v === undefined) throw flagError(spec, `${JSON.stringify(k)} needs a value: mock=name=value,name2=value2`);
        values[k] = v;
      }
      return { name, isDefault, values };
    }
    default:
      throw flagError(spec, `unknown source "${kind}" (file=PATH, env=PREFIX or mock=name=value)`);
  }
}

/** Every --secret-source, in order; the first is the default unless one is marked `default`. */
export function loadSecretSources(specs: readonly string[], env: Readonly<Record<string, string | undefined>>, cwd: string): SecretSource[] {
  const sources = specs.map((s) => loadSecretSource(s, env, cwd));
  const defaults = sources.filter((s) => s.isDefault);
  if (defaults.length > 1) throw new LoadtsError('INVALID_FLAG', `--secret-source: more than one source is marked default (${defaults.map((s) => s.name).join(', ')})`);
  if (defaults.length === 0 && sources[0] !== undefined) sources[0].isDefault = true;
  const seen = new Set<string>();
  for (const s of sources) {
    if (seen.has(s.name)) throw new LoadtsError('INVALID_FLAG', `--secret-source: two sources are named ${JSON.stringify(s.name)}: give one name=OTHER`);
    seen.add(s.name);
  }
  return sources;
}
