import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { LoadtsError } from '../errors.js';
import type { Options } from './types.js';

/**
 * Reads options from a JSON or YAML file (`--config`). Top-level keys are options, as in a script's
 * `options` export; a k6 config with an `options` wrapper is accepted too.
 */
export async function loadConfigFile(path: string): Promise<Options> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new LoadtsError('CONFIG_FILE', `cannot read config file ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  if (extname(path).toLowerCase() === '.json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw new LoadtsError('CONFIG_FILE', `invalid JSON in config file ${path}: ${(e as Error).message}`);
    }
  } else {
    const doc = parseDocument(text);
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      throw new LoadtsError('CONFIG_FILE', `invalid YAML in config file ${path}${pos ? `:${pos.line}:${pos.col}` : ''}: ${err.message.split('\n')[0]}`);
    }
    data = doc.toJS();
  }
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) throw new LoadtsError('CONFIG_FILE', `config file ${path} must hold an object of options`);
  const obj = data as Record<string, unknown>;
  const inner = obj.options;
  if (inner !== null && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(obj).length === 1) return inner as Options;
  return obj as Options;
}
