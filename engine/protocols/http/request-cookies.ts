import { cookiePairValue, isCookieName } from './cookie.js';
import type { CookieJar, CookieScope } from './cookie-jar.js';

/** k6's `params.cookies`: name → value, or name → { value, replace } to override the jar's cookie. */
export type RequestCookiesParam = Record<string, string | number | boolean | { value: string | number | boolean; replace?: boolean } | null | undefined>;

/** A request-scoped cookie (k6: sent with this request only, not stored in the jar). */
export interface RequestCookie {
  readonly name: string;
  readonly value: string;
  /** The jar's cookie of the same name is not sent. */
  readonly replace: boolean;
}

/** Validates and normalises `params.cookies`; undefined when there are none. Throws a TypeError on bad input. */
export function requestCookies(param: RequestCookiesParam | undefined): RequestCookie[] | undefined {
  if (param === undefined || param === null) return undefined;
  if (typeof param !== 'object' || Array.isArray(param)) throw new TypeError(`params.cookies must be an object of name → value (or { value, replace }), got ${JSON.stringify(param)}`);
  const out: RequestCookie[] = [];
  for (const name of Object.keys(param)) {
    const v = param[name];
    if (v === undefined || v === null) continue;
    if (!isCookieName(name)) throw new TypeError(`params.cookies: invalid cookie name ${JSON.stringify(name)}`);
    if (typeof v === 'object') out.push({ name, value: String(v.value ?? ''), replace: v.replace === true });
    else out.push({ name, value: String(v), replace: false });
  }
  return out.length === 0 ? undefined : out;
}

/**
 * The Cookie header of one request (or redirect hop), as k6 builds it: a Cookie header the script
 * set, then the request's own cookies, then the jar's cookies for the URL except those a request
 * cookie replaces. '' when there is nothing to send.
 */
export function cookieHeader(jar: CookieJar | undefined, scope: CookieScope, own: readonly RequestCookie[] | undefined, scriptHeader: string | undefined): string {
  let out = scriptHeader ?? '';
  if (own === undefined && (jar === undefined || jar.size === 0)) return out;
  if (own !== undefined) for (const c of own) out += `${out === '' ? '' : '; '}${c.name}=${cookiePairValue(c.value)}`;
  if (jar !== undefined && jar.size > 0) {
    for (const c of jar.matching(scope)) {
      if (own?.some((o) => o.replace && o.name === c.name) === true) continue;
      out += `${out === '' ? '' : '; '}${c.name}=${cookiePairValue(c.value)}`;
    }
  }
  return out;
}

/** Parses a Cookie request header into k6's `res.request.cookies` shape: name → [{ name, value, replace }]. */
export function parseCookieHeader(header: string | undefined): Record<string, RequestCookie[]> {
  const out: Record<string, RequestCookie[]> = {};
  if (header === undefined || header === '') return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.length > 1 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    (out[name] ??= []).push({ name, value, replace: false });
  }
  return out;
}
