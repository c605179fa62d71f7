import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { LoadtsError } from '../errors.js';
import type { Options } from './types.js';

const READ_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** 1-based line and column of a 0-based offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function parseJson(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const offset = /at position (\d+)/.exec(message)?.[1];
    const at = offset === undefined ? '' : (({ line, column }) => `:${line}:${column}`)(lineColumn(text, Number(offset)));
    const reason = message.replace(/\s*(in JSON )?at position \d+.*$/, '').replace(/\s*\(line \d+ column \d+\)$/, '');
    throw new LoadtsError('CONFIG_FILE', `invalid JSON in config file ${path}${at}: ${reason}`);
  }
}

/** YAML, with the parser loaded only for YAML files (it is a quarter of the CLI's code). */
async function parseYaml(text: string, path: string): Promise<unknown> {
  const { parseDocument } = await import('./yaml-parser.js');
  const doc = parseDocument(text, { uniqueKeys: true });
  const err = doc.errors[0];
  if (err) {
    const pos = err.linePos?.[0];
    const reason = (err.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    throw new LoadtsError('CONFIG_FILE', `invalid YAML in config file ${path}${pos ? `:${pos.line}:${pos.col}` : ''}: ${reason}`);
  }
  return doc.toJS();
}

/**
 * Reads options from a config file (`--config`). `.yaml` and `.yml` files are YAML; any other file
 * is JSON, as k6's config file is. Top-level keys are options, as in k6's config file and a script's
 * `options` export; a file whose only key is `options` is unwrapped. Other k6 config keys
 * (`out`, `collectors`, ...) pass through and are reported as unsupported when options resolve.
 * @throws LoadtsError CONFIG_FILE naming the file (and file:line:column for a syntax error)
 */
export async function loadConfigFile(path: string): Promise<Options> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new LoadtsError('CONFIG_FILE', `cannot read config file ${path}: ${READ_ERRORS[code] ?? (e as Error).message}${code ? ` (${code})` : ''}`);
  }
  const yaml = ['.yaml', '.yml'].includes(extname(path).toLowerCase());
  if (text.trim() === '') return {};
  const data = yaml ? await parseYaml(text, path) : parseJson(text.replace(/^\uFEFF/, ''), path);
  if (data === null || data === undefined) return {};
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new LoadtsError('CONFIG_FILE', `config file ${path} must hold an object of options, got ${Array.isArray(data) ? 'a list' : `a ${typeof data}`}`);
  }
  const obj = data as Record<string, unknown>;
  const inner = obj.options;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'options') {
    if (inner === null || inner === undefined) return {};
    if (typeof inner !== 'object' || Array.isArray(inner)) {
      throw new LoadtsError('CONFIG_FILE', `config file ${path}: "options" must be an object of options`);
    }
    return inner as Options;
  }
  return obj as Options;
}
