/** k6's request params resolved against the test's config and checked: a bad one is a script bug, thrown as a TypeError. */
import { parseDuration } from '../../options/duration.js';
import { encodeBody, type RequestBody } from './body.js';
import { compressBody, type Compression } from './compression.js';
import { CookieJar } from './cookie-jar.js';
import type { HttpClientConfig, RequestParams } from './http-types.js';
import { cookieHeader, type RequestCookie } from './request-cookies.js';
import type { Target } from './target.js';

const RESPONSE_TYPES = new Set(['text', 'binary', 'none']);

/** params.timeout in ms (a number of ms, or a duration string such as "10s"); it must be positive. */
export function toTimeoutMs(timeout: number | string): number {
  const ms = parseDuration(timeout, 'params.timeout');
  if (ms <= 0) throw new TypeError(`params.timeout must be positive, got ${JSON.stringify(timeout)}`);
  return ms;
}

/** params.responseType, else the discardResponseBodies option's. */
export function responseTypeOf(params: RequestParams | undefined, config: HttpClientConfig): string {
  const responseType = params?.responseType ?? (config.discardResponseBodies ? 'none' : 'text');
  if (!RESPONSE_TYPES.has(responseType)) throw new TypeError(`params.responseType must be 'text', 'binary' or 'none', got ${JSON.stringify(responseType)}`);
  return responseType;
}

/** params.redirects, else the maxRedirects option. */
export function redirectsOf(params: RequestParams | undefined, config: HttpClientConfig): number {
  const maxRedirects = params?.redirects ?? config.maxRedirects;
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) throw new TypeError(`params.redirects must be a non-negative integer, got ${JSON.stringify(maxRedirects)}`);
  return maxRedirects;
}

/** Whether params.auth asks for digest auth ('basic' and none do not). */
export function isDigestAuth(params: RequestParams | undefined): boolean {
  const auth = params?.auth;
  if (auth !== undefined && auth !== 'basic' && auth !== 'digest') throw new TypeError(`params.auth ${JSON.stringify(auth)} is not supported (use 'basic' or 'digest', with user:pass in the URL)`);
  return auth === 'digest';
}

/** params.jar, checked (undefined and null: none). */
export function paramJar(params: RequestParams | undefined): CookieJar | null | undefined {
  const jar = params?.jar;
  if (jar !== undefined && jar !== null && !(jar instanceof CookieJar)) throw new TypeError('params.jar must be a cookie jar from http.cookieJar() or new http.CookieJar()');
  return jar;
}

/** The request's headers, lower-cased: the User-Agent option's, then the script's (without its Content-Length). */
export function requestHeaders(userAgent: string, userHeaders: RequestParams['headers']): Record<string, string> {
  const headers: Record<string, string> = {};
  if (userAgent !== '') headers['user-agent'] = userAgent;
  if (userHeaders !== undefined) {
    for (const k of Object.keys(userHeaders)) headers[k.toLowerCase()] = String(userHeaders[k]);
    // undici sets the real one (k6 too drops the script's Content-Length)
    delete headers['content-length'];
  }
  return headers;
}

/** The bytes to send (encoded, then compressed), setting Content-Type and Content-Encoding in `headers` unless the script set them. */
export function requestPayload(body: RequestBody | null | undefined, headers: Record<string, string>, compression: Compression[] | undefined): string | Buffer | undefined {
  let payload = encodeBody(body, headers);
  if (compression !== undefined && payload !== undefined) {
    const c = compressBody(payload, compression);
    payload = c.body;
    // A Content-Encoding the script set wins (k6 warns when they differ).
    if (headers['content-encoding'] === undefined) headers['content-encoding'] = c.contentEncoding;
  }
  return payload;
}

/** Adds the URL's Basic auth (unless digest, or the script set Authorization) and the Cookie header (the jar's and the request's own) for `target`. */
export function addAuthAndCookies(headers: Record<string, string>, target: Target, digest: boolean, jar: CookieJar, ownCookies: readonly RequestCookie[] | undefined): void {
  if (target.basicAuth !== undefined && !digest && headers.authorization === undefined) headers.authorization = target.basicAuth;
  if (ownCookies !== undefined || jar.size > 0) {
    const cookie = cookieHeader(jar, target.scope, ownCookies, headers.cookie);
    if (cookie !== '') headers.cookie = cookie;
  }
}
