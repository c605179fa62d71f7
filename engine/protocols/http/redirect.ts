import type { IncomingHttpHeaders } from 'node:http';
import type { CookieJar } from './cookie-jar.js';
import { cookieHeader, type RequestCookie } from './request-cookies.js';
import { parseTarget, type Target } from './target.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/** Whether `status` is one a client follows (given a Location). */
export function isRedirect(status: number): boolean {
  return REDIRECT_STATUSES.has(status);
}

/** What redirectTo reads of a hop's exchange. */
interface Answer {
  readonly error: unknown;
  readonly status: number;
  readonly headers: IncomingHttpHeaders | undefined;
}

/** Where a response redirects to: a redirect status with a Location that is a valid http(s) URL (relative to `from`), else undefined. */
export function redirectTo(ex: Answer, from: Target): Target | undefined {
  const location = ex.headers?.location;
  if (ex.error !== undefined || !isRedirect(ex.status) || typeof location !== 'string') return undefined;
  let href: string;
  try {
    href = new URL(location, from.href).href;
  } catch {
    return undefined;
  }
  const t = parseTarget(href);
  return typeof t === 'string' ? undefined : t;
}

/** A 301, 302 or 303 is followed without the body (and a method other than GET or HEAD becomes GET). */
export function dropsBody(status: number): boolean {
  return status === 301 || status === 302 || status === 303;
}

/**
 * The headers of the request that follows a redirect from `from` to `next` (a copy): without the
 * body's headers when it is dropped, without credentials when the host changes (and without a
 * digest answer, which is for one URI), with the Cookie header rebuilt for the new URL (as k6:
 * from the jar, with any cookies the redirect set, and the request's own cookies), the new URL's
 * Basic auth, and a Referer as Go sets it (without credentials or fragment, and not from https to
 * http).
 */
export function redirectHeaders(
  headers: Record<string, string>,
  from: Target,
  next: Target,
  dropBody: boolean,
  digest: boolean,
  jar: CookieJar,
  ownCookies: readonly RequestCookie[] | undefined,
): Record<string, string> {
  const out = { ...headers };
  if (dropBody) {
    delete out['content-type'];
    delete out['content-length'];
  }
  if (next.host !== from.host) {
    delete out.authorization;
    delete out['www-authenticate'];
  } else if (digest) delete out.authorization;
  delete out.cookie;
  const cookie = cookieHeader(jar, next.scope, ownCookies, undefined);
  if (cookie !== '') out.cookie = cookie;
  if (next.basicAuth !== undefined && !digest && out.authorization === undefined) out.authorization = next.basicAuth;
  if (!(from.origin.startsWith('https:') && next.origin.startsWith('http:'))) out.referer = from.origin + from.path;
  return out;
}
