import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isGzipPath } from '../record/io.js';
import type { RunRecord } from '../record/types.js';
import { renderReport } from './report.js';

/** Writes the run's HTML report (gzip-compressed when the name ends in .gz, as k6's export); parent folders are created. */
export async function writeReport(path: string, record: RunRecord): Promise<number> {
  const html = renderReport(record);
  const bytes = isGzipPath(path) ? gzipSync(html) : Buffer.from(html);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes.length;
}
