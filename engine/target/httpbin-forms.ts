/**
 * httpbin's shapes for what a request sent: a field (query argument or form field) sent once is a
 * string, one sent more than once a list of its values in order; header names in canonical form
 * (Title-Case, whatever case the client sent, HTTP/2 included); cookie values without the quotes
 * RFC 6265 allows around them.
 */
import type { IncomingMessage } from 'node:http';
import { canonicalHeaderName } from '../protocols/http/header-case.js';

/** Pairs → { name: value } or { name: [v1, v2] } for repeated names. */
export function fieldsObject(pairs: Iterable<[string, string]>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of pairs) {
    const prev = Object.hasOwn(out, k) ? out[k] : undefined;
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

/** Request headers, names canonical; repeated ones joined by ', '. */
export function headerObject(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) {
    const k = raw[i]!;
    if (k.startsWith(':')) continue; // HTTP/2 pseudo-headers
    const name = canonicalHeaderName(k);
    out[name] = out[name] === undefined ? raw[i + 1]! : `${out[name]}, ${raw[i + 1]!}`;
  }
  return out;
}

/** A Cookie header → { name: value }, a quoted value unquoted. */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (header === undefined) return out;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    let value = part.slice(i + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    out[part.slice(0, i).trim()] = value;
  }
  return out;
}
