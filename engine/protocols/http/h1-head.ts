/** The head of an HTTP/1.1 response (status line and headers) as text → its parts; what its headers say about the connection. */
import type { IncomingHttpHeaders } from 'node:http';
import { H1Error, TOKEN } from './h1-request.js';

/** No keep-alive hint from the server: an idle connection is not reused after this (undici's default). */
export const KEEP_ALIVE_MS = 60_000;
/** The longest a server's Keep-Alive: timeout=N hint is believed (undici's keepAliveMaxTimeout). */
const KEEP_ALIVE_MAX_MS = 600_000;
/** A hinted keep-alive ends this much early, so that a request does not cross the server's close. */
const KEEP_ALIVE_MARGIN_MS = 2_000;

/** A header's value as one string (repeated headers joined), or undefined. */
export function headerText(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The one value repeated Content-Length headers share, or undefined when they differ. */
export function sameValues(vs: string[]): string | undefined {
  return vs.every((v) => v === vs[0]) ? vs[0] : undefined;
}

/** ms an idle connection may be reused for, from a Keep-Alive header ('timeout=5, max=1000'). */
export function keepAliveMs(hint: string): number {
  const m = /timeout\s*=\s*(\d+)/i.exec(hint);
  if (m === null) return KEEP_ALIVE_MS;
  return Math.min(Number(m[1]) * 1000, KEEP_ALIVE_MAX_MS) - KEEP_ALIVE_MARGIN_MS;
}

/** Header names as servers spell them → validated and lower-cased (servers send the same few names over and over). */
const headerNames = new Map<string, string>();

function headerName(raw: string): string {
  let name = headerNames.get(raw);
  if (name === undefined) {
    if (!TOKEN.test(raw)) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header name)');
    name = raw.toLowerCase();
    // a flat copy as the key: a slice of the head would keep the whole head alive
    if (headerNames.size < 1_000) headerNames.set(Buffer.from(raw, 'latin1').toString('latin1'), name);
  }
  return name;
}

function isOws(c: number): boolean {
  return c === 32 || c === 9;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** `text[from, to)` without the spaces and tabs around it. */
function trimmed(text: string, from: number, to: number): string {
  while (from < to && isOws(text.charCodeAt(from))) from++;
  while (to > from && isOws(text.charCodeAt(to - 1))) to--;
  return text.slice(from, to);
}

/** The LF that ends the line starting at `pos` (text.length for the last line). */
function lineFeed(text: string, pos: number): number {
  const lf = text.indexOf('\n', pos);
  return lf < 0 ? text.length : lf;
}

/** Where the line that ends at `lf` ends without its CR. */
function lineEnd(text: string, pos: number, lf: number): number {
  return lf > pos && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
}

interface ParsedHead {
  minor: number;
  status: number;
  reason: string;
  headers: IncomingHttpHeaders;
}

/**
 * Parses a response head (status line and header lines, without the empty line that ends it;
 * lines end in CR LF or, as Go's reader accepts, a bare LF). Names are lower-cased; a repeated
 * header becomes an array of its values (as undici's); an obsolete folded line continues the
 * previous value.
 */
export function parseHead(text: string): ParsedHead {
  const firstLf = lineFeed(text, 0);
  const eol = lineEnd(text, 0, firstLf);
  // HTTP/1.x SP 3DIGIT [SP reason]
  if (eol < 12 || !text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32) throw new H1Error('HPE_INVALID_CONSTANT', 'malformed HTTP response (status line)');
  const minor = text.charCodeAt(7) - 48;
  const d0 = text.charCodeAt(9);
  const d1 = text.charCodeAt(10);
  const d2 = text.charCodeAt(11);
  if ((minor !== 0 && minor !== 1) || !isDigit(d0) || !isDigit(d1) || !isDigit(d2) || d0 === 48 || (eol > 12 && text.charCodeAt(12) !== 32)) {
    throw new H1Error('HPE_INVALID_STATUS', 'malformed HTTP response (status line)');
  }
  const status = (d0 - 48) * 100 + (d1 - 48) * 10 + (d2 - 48);
  const reason = eol > 13 ? text.slice(13, eol) : '';
  const headers: IncomingHttpHeaders = {};
  let last: string | undefined;
  let pos = firstLf + 1;
  while (pos < text.length) {
    const lf = lineFeed(text, pos);
    const end = lineEnd(text, pos, lf);
    const c = text.charCodeAt(pos);
    if (isOws(c)) {
      // obs-fold: the previous header's value continues
      if (last === undefined) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header)');
      const more = trimmed(text, pos, end);
      const prev = headers[last]!;
      if (Array.isArray(prev)) prev[prev.length - 1] += ` ${more}`;
      else headers[last] = `${prev} ${more}`;
    } else {
      const colon = text.indexOf(':', pos);
      if (colon < 0 || colon > end) throw new H1Error('HPE_INVALID_HEADER_TOKEN', 'malformed HTTP response (header)');
      const name = headerName(text.slice(pos, colon));
      const value = trimmed(text, colon + 1, end);
      if (name !== '__proto__') {
        // own properties only: a header named "constructor" must not meet Object.prototype's
        const prev = headers[name];
        if (prev === undefined || !Object.hasOwn(headers, name)) headers[name] = value;
        else if (Array.isArray(prev)) prev.push(value);
        else headers[name] = [prev, value];
        last = name;
      }
    }
    pos = lf + 1;
  }
  return { minor, status, reason, headers };
}
