import { accessSync, constants as fsConstants, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { LoadtsError } from '../errors.js';

/** What one handleSummary entry may hold, as in k6: a string or binary data (ArrayBuffer or a view). */
export type SummaryOutput = string | ArrayBuffer | Uint8Array;

function toBytes(key: string, content: unknown): string | Uint8Array {
  if (typeof content === 'string') return content;
  if (content instanceof Uint8Array) return content;
  if (content instanceof ArrayBuffer) return new Uint8Array(content);
  if (ArrayBuffer.isView(content)) return new Uint8Array(content.buffer, content.byteOffset, content.byteLength);
  const what = content === null ? 'null' : Array.isArray(content) ? 'an array' : `a ${typeof content}`;
  throw new LoadtsError('SCRIPT_HANDLE_SUMMARY', `handleSummary() returned ${what} for ${JSON.stringify(key)}: expected a string or an ArrayBuffer`);
}

function writeTo(stream: Writable, chunk: string | Uint8Array): Promise<void> {
  return new Promise((done, fail) => {
    stream.write(chunk, (err) => (err ? fail(err) : done()));
  });
}

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err.code !== undefined ? `${err.code} (${err.message})` : String(err?.message ?? e);
}

/**
 * Writes what handleSummary returned, as k6 does: `stdout` and `stderr` to those streams, every
 * other key to that file path (relative to `cwd`; parent folders are created, the file replaced).
 * As in k6, every entry is attempted; if any failed, one LoadtsError('SCRIPT_HANDLE_SUMMARY')
 * names each failed path and why. Entries that are `undefined` are skipped; one of another type
 * (number, object) fails the whole result before anything is written.
 */
export async function writeSummaryOutputs(outputs: Record<string, SummaryOutput>, io: { stdout: Writable; stderr: Writable; cwd: string }): Promise<void> {
  // Like k6, refuse the whole result before writing anything when an entry has the wrong type.
  const entries = (Object.entries(outputs) as Array<[string, unknown]>)
    .filter(([, content]) => content !== undefined)
    .map(([key, content]) => [key, toBytes(key, content)] as const);
  const failures: string[] = [];
  for (const [key, bytes] of entries) {
    try {
      if (key === 'stdout') await writeTo(io.stdout, bytes);
      else if (key === 'stderr') await writeTo(io.stderr, bytes);
      else {
        const path = resolve(io.cwd, key);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, bytes);
      }
    } catch (e) {
      failures.push(`cannot write ${JSON.stringify(key)}: ${reason(e)}`);
    }
  }
  if (failures.length > 0) throw new LoadtsError('SCRIPT_HANDLE_SUMMARY', `handleSummary() results not saved: ${failures.join('; ')}`);
}

/**
 * Why a result file could not be written at `path`, or undefined when it can: checked before the
 * test starts, so a mistyped --summary-export path fails at once instead of after the load.
 * Nothing is created.
 */
export function unwritableReason(path: string): string | undefined {
  try {
    if (statSync(path).isDirectory()) return 'it is a directory';
    accessSync(path, fsConstants.W_OK);
    return undefined;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return reason(e);
  }
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    try {
      if (!statSync(dir).isDirectory()) return `${dir} is not a directory`;
      accessSync(dir, fsConstants.W_OK);
      return undefined;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') return `${dir} is not a directory`;
      if (code !== 'ENOENT') return reason(e);
    }
    if (dirname(dir) === dir) return 'no existing folder on its path';
  }
}
