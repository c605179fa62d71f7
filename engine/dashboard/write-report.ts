import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { gzipSync } from 'node:zlib';
import { isGzipPath } from '../record/io.js';
import type { RunRecord } from '../record/types.js';
import { renderReport } from './report.js';

/** The report of each record rendered so far: --out report and K6_WEB_DASHBOARD_EXPORT share one rendering. */
const rendered = new WeakMap<RunRecord, string>();

/** Writes the run's HTML report (gzip-compressed when the name ends in .gz, as k6's export); parent folders are created. */
export async function writeReport(path: string, record: RunRecord): Promise<number> {
  let html = rendered.get(record);
  if (html === undefined) rendered.set(record, (html = renderReport(record)));
  const bytes = isGzipPath(path) ? gzipSync(html) : Buffer.from(html);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return bytes.length;
}
