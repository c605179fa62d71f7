import type { ByteWriter } from './byte-writer.js';

/**
 * Strings and times formatted as k6 (Go) writes them in its JSON and CSV outputs, so that the
 * tools that parse k6's files parse ours (numbers: ByteWriter). Sample times are wall-clock ms
 * with µs precision (the workers' clock), so the finest digits written are µs.
 */

const NEEDS_GO_ESCAPE = /[<>&\u2028\u2029]/;
const GO_ESCAPES = /[<>&\u2028\u2029]/g;
const hex4 = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A JSON string as Go's encoding/json writes it (k6's JSON output): as JSON.stringify, but '<',
 * '>', '&', U+2028 and U+2029 as \u00XX escapes (HTML-safe, Go's default).
 */
export function goJsonString(s: string): string {
  const json = JSON.stringify(s);
  return NEEDS_GO_ESCAPE.test(json) ? json.replace(GO_ESCAPES, hex4) : json;
}

/** A tag map as a JSON object, keys sorted (as k6 writes a sample's tags). */
export function goTagsJson(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags).sort();
  return `{${keys.map((k) => `${goJsonString(k)}:${goJsonString(tags[k]!)}`).join(',')}}`;
}

/** A duration as Go's time.Duration.String() ('500ms', '10s', '1m30s', '0s'), for k6's delayAbortEval. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (Math.abs(ms) < 1000) return `${+ms.toFixed(6)}ms`;
  const sign = ms < 0 ? '-' : '';
  let s = Math.abs(ms) / 1000;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s = +(s - m * 60).toFixed(9);
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s}s`;
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/**
 * Formats wall-clock times in the machine's time zone, as Go formats a time.Time from time.Now():
 * RFC 3339 with the local offset ('Z' at UTC). The date, clock and offset are computed once per
 * second and reused for every sample in it, so formatting a sample is a few string joins.
 */
export class LocalTimeFormat {
  #second = NaN;
  #clock = '';
  #offset = '';
  #clockBytes = Buffer.alloc(0);
  #offsetBytes = Buffer.alloc(0);

  /** µs since the epoch (integer) of a time in ms: the precision samples carry. */
  static micros(ms: number): number {
    return Math.round(ms * 1000);
  }

  /** Go's RFC3339Nano: fractional seconds without trailing zeros, none when whole ('…T05:37:28.6257+01:00'). */
  rfc3339Nano(micros: number): string {
    const second = Math.floor(micros / 1e6);
    const frac = micros - second * 1e6;
    this.#at(second);
    if (frac === 0) return this.#clock + this.#offset;
    let f = String(frac).padStart(6, '0');
    let end = f.length;
    while (f.charCodeAt(end - 1) === 48) end--;
    if (end < 6) f = f.slice(0, end);
    return `${this.#clock}.${f}${this.#offset}`;
  }

  /** rfc3339Nano's text, written into `w` as bytes (no string per sample). */
  writeRfc3339Nano(w: ByteWriter, micros: number): void {
    const second = Math.floor(micros / 1e6);
    const frac = micros - second * 1e6;
    this.#at(second);
    w.bytes(this.#clockBytes);
    if (frac !== 0) {
      w.byte(46); // '.'
      w.fractionDigits(frac, 6);
    }
    w.bytes(this.#offsetBytes);
  }

  /** Go's RFC3339: whole seconds (truncated). */
  rfc3339(micros: number): string {
    this.#at(Math.floor(micros / 1e6));
    return this.#clock + this.#offset;
  }

  #at(second: number): void {
    if (second === this.#second) return;
    this.#second = second;
    const d = new Date(second * 1000);
    const offsetMin = -d.getTimezoneOffset();
    this.#clock = `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())}T${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
    if (offsetMin === 0) this.#offset = 'Z';
    else {
      const a = Math.abs(offsetMin);
      this.#offset = `${offsetMin < 0 ? '-' : '+'}${pad2(Math.floor(a / 60))}:${pad2(a % 60)}`;
    }
    this.#clockBytes = Buffer.from(this.#clock, 'latin1');
    this.#offsetBytes = Buffer.from(this.#offset, 'latin1');
  }
}
