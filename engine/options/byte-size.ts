import { constants } from 'node:buffer';
import { invalid, show, type Where } from './checks.js';

/** k6-style data sizes: decimal kB/MB/GB (as k6 prints data), binary KiB/MiB/GiB. */
const UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
};

/** The largest response body a VU can keep: Node's largest Buffer. */
export const MAX_BODY_BYTES = constants.MAX_LENGTH;

/**
 * A size in bytes: a whole number of bytes (`1048576`, `'1048576'`) or a number and a unit
 * (`'256MiB'`, `'500MB'`, `'64 kB'`, `'1.5GB'`), between 1 byte and `max`.
 */
export function byteSize(v: unknown, w: Where, max: number = MAX_BODY_BYTES): number {
  let bytes: number | undefined;
  if (typeof v === 'number') bytes = v;
  else if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(v);
    const unit = m === null ? undefined : UNITS[(m[2] || 'b').toLowerCase()];
    if (m !== null && unit !== undefined) bytes = Math.floor(Number(m[1]) * unit);
  }
  if (bytes === undefined || !Number.isSafeInteger(bytes)) throw invalid(w, `must be a size in bytes, or with a unit ("256MiB", "500MB", "64kB"), got ${show(v)}`);
  if (bytes < 1 || bytes > max) throw invalid(w, `must be between 1 byte and ${max} bytes, got ${show(v)}`);
  return bytes;
}
