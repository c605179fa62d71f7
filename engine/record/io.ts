import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { LoadtsError } from '../errors.js';
import { RECORD_FORMAT, RECORD_VERSION, type RunRecord } from './types.js';

/** Whether `path` names a gzip file ('.gz'). */
export function isGzipPath(path: string): boolean {
  return path.toLowerCase().endsWith('.gz');
}

/** Writes a record as JSON, gzip-compressed when the name ends in .gz; parent folders are created. */
export async function writeRecord(path: string, record: RunRecord): Promise<void> {
  const json = `${JSON.stringify(record)}\n`;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, isGzipPath(path) ? gzipSync(json) : json);
}

/**
 * Reads a run record (.json or .json.gz, told by its content, not its name). Refuses a file that
 * is not a record, and a record of a newer major version, with one line that says so.
 * @throws LoadtsError('RECORD')
 */
export async function readRecord(path: string): Promise<RunRecord> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new LoadtsError('RECORD', `cannot read run record ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let text: string;
  try {
    text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  } catch (e) {
    throw new LoadtsError('RECORD', `${path} is not a readable gzip file: ${(e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LoadtsError('RECORD', `${path} is not JSON: ${(e as Error).message}`);
  }
  return checkRecord(data, path);
}

/** Checks the format and version of parsed JSON. */
export function checkRecord(data: unknown, path: string): RunRecord {
  const r = data as Partial<RunRecord> | null;
  if (r === null || typeof r !== 'object' || r.format !== RECORD_FORMAT) {
    throw new LoadtsError('RECORD', `${path} is not a loadts run record (write one with --out record=FILE)`);
  }
  const major = Number(/^(\d+)\./.exec(String(r.version))?.[1]);
  if (!Number.isInteger(major)) throw new LoadtsError('RECORD', `${path}: the record's version ${JSON.stringify(r.version)} is not MAJOR.MINOR`);
  if (major > RECORD_VERSION.major) {
    throw new LoadtsError('RECORD', `${path} is a version ${r.version} record, newer than this loadts reads (${RECORD_VERSION.major}.x): upgrade loadts (${r.loadtsVersion ?? 'a newer one'} wrote it)`);
  }
  return r as RunRecord;
}
