import { createHash, randomBytes } from 'node:crypto';

/** Hash algorithms of RFC 7616 digest authentication (the -sess variants hash the nonces into HA1). */
export type DigestAlgorithm = 'MD5' | 'MD5-sess' | 'SHA-256' | 'SHA-256-sess';

/** A server's `WWW-Authenticate: Digest …` challenge. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque: string | undefined;
  algorithm: DigestAlgorithm;
  /** The qop values offered ('auth', 'auth-int'); empty for an RFC 2069 challenge. */
  qop: string[];
}

const ALGORITHMS: Record<string, DigestAlgorithm> = { md5: 'MD5', 'md5-sess': 'MD5-sess', 'sha-256': 'SHA-256', 'sha-256-sess': 'SHA-256-sess' };

/** Parses `k=v, k2="quoted, \"v\""` auth-params from `i` on; stops at the next scheme (a bare token followed by a space). */
function parseParams(s: string, start: number): Record<string, string> {
  const out: Record<string, string> = {};
  let i = start;
  const n = s.length;
  while (i < n) {
    while (i < n && (s[i] === ' ' || s[i] === ',' || s[i] === '\t')) i++;
    const keyStart = i;
    while (i < n && s[i] !== '=' && s[i] !== ',' && s[i] !== ' ') i++;
    const key = s.slice(keyStart, i).toLowerCase();
    if (key === '') break;
    if (s[i] !== '=') break; // another scheme starts here ("Basic realm=…")
    i++;
    let value = '';
    if (s[i] === '"') {
      i++;
      while (i < n && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < n) i++;
        value += s[i];
        i++;
      }
      i++;
    } else {
      const valueStart = i;
      while (i < n && s[i] !== ',') i++;
      value = s.slice(valueStart, i).trim();
    }
    out[key] = value;
  }
  return out;
}

/**
 * The Digest challenge among a response's WWW-Authenticate headers (several schemes may be offered,
 * in one header or several); undefined when there is none, it lacks a nonce, or its algorithm is
 * unsupported.
 */
export function parseDigestChallenge(header: string | string[] | undefined): DigestChallenge | undefined {
  if (header === undefined) return undefined;
  for (const h of Array.isArray(header) ? header : [header]) {
    const m = /(?:^|[\s,])digest\s+/i.exec(h);
    if (m === null) continue;
    const p = parseParams(h, m.index + m[0].length);
    if (p.nonce === undefined) continue;
    const algorithm = ALGORITHMS[(p.algorithm ?? 'MD5').toLowerCase()];
    if (algorithm === undefined) continue;
    const qop = (p.qop ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q) => q !== '');
    return { realm: p.realm ?? '', nonce: p.nonce, opaque: p.opaque, algorithm, qop };
  }
  return undefined;
}

function hash(algorithm: DigestAlgorithm, text: string | Buffer): string {
  return createHash(algorithm.startsWith('SHA-256') ? 'sha256' : 'md5')
    .update(text)
    .digest('hex');
}

/** What a digest response is computed from. */
export interface DigestInput {
  method: string;
  /** The request target as sent: path and query. */
  uri: string;
  username: string;
  password: string;
  /** The request body, for qop=auth-int. */
  body?: string | Buffer | undefined;
}

/**
 * The `response` value of RFC 7616 §3.4.1 for a challenge, a qop ('' for RFC 2069), a client nonce
 * and a nonce count (8 hex digits). Used by the client to answer and by the demo target to check.
 */
export function digestResponse(ch: Pick<DigestChallenge, 'realm' | 'nonce' | 'algorithm'>, input: DigestInput, qop: string, cnonce: string, nc: string): string {
  const a = ch.algorithm;
  let ha1 = hash(a, `${input.username}:${ch.realm}:${input.password}`);
  if (a.endsWith('-sess')) ha1 = hash(a, `${ha1}:${ch.nonce}:${cnonce}`);
  const ha2 = qop === 'auth-int' ? hash(a, `${input.method}:${input.uri}:${hash(a, input.body ?? '')}`) : hash(a, `${input.method}:${input.uri}`);
  return qop === '' ? hash(a, `${ha1}:${ch.nonce}:${ha2}`) : hash(a, `${ha1}:${ch.nonce}:${nc}:${cnonce}:${qop}:${ha2}`);
}

/**
 * The Authorization header answering `ch` (one round trip, nonce count 1, as k6 does on each
 * request). Prefers qop=auth, then auth-int; none when the server offers no qop.
 */
export function digestAuthorization(ch: DigestChallenge, input: DigestInput, cnonce = randomBytes(8).toString('hex')): string {
  const qop = ch.qop.includes('auth') ? 'auth' : ch.qop.includes('auth-int') ? 'auth-int' : '';
  const nc = '00000001';
  const response = digestResponse(ch, input, qop, cnonce, nc);
  const q = (v: string): string => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  let h = `Digest username=${q(input.username)}, realm=${q(ch.realm)}, nonce=${q(ch.nonce)}, uri=${q(input.uri)}, algorithm=${ch.algorithm}, response=${q(response)}`;
  if (ch.opaque !== undefined) h += `, opaque=${q(ch.opaque)}`;
  if (qop !== '') h += `, qop=${qop}, nc=${nc}, cnonce=${q(cnonce)}`;
  return h;
}

/** Parses an `Authorization: Digest …` header (the demo target checks it). */
export function parseDigestAuthorization(header: string | undefined): Record<string, string> | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*digest\s+/i.exec(header);
  return m === null ? undefined : parseParams(header, m[0].length);
}
