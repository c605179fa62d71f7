import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { LoadtsError } from '../errors.js';

/**
 * Writes what handleSummary returned: `stdout` and `stderr` to those streams, every other key to
 * that file path (relative to `cwd`, parent folders created).
 */
export async function writeSummaryOutputs(outputs: Record<string, string | ArrayBuffer | Uint8Array>, io: { stdout: Writable; stderr: Writable; cwd: string }): Promise<void> {
  for (const [key, content] of Object.entries(outputs)) {
    const bytes = typeof content === 'string' ? content : content instanceof Uint8Array ? content : new Uint8Array(content);
    if (key === 'stdout') io.stdout.write(bytes);
    else if (key === 'stderr') io.stderr.write(bytes);
    else {
      const path = resolve(io.cwd, key);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, bytes);
      } catch (e) {
        throw new LoadtsError('SCRIPT_HANDLE_SUMMARY', `handleSummary: cannot write ${key}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
    }
  }
}
