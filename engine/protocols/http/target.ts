import { cookieScope, type CookieScope } from './cookie-jar.js';
import type { HttpClientConfig } from './http-types.js';

/**
 * A parsed request URL, cached per test config, so shared by a worker's VUs (scripts hit the same
 * few URLs over and over; a cache per VU cost ~600 bytes of every VU).
 */
export interface Target {
  href: string;
  origin: string;
  path: string;
  host: string;
  /** The URL with credentials masked, as k6 tags it. */
  clean: string;
  /** 'Basic …' from user:pass in the URL. */
  basicAuth: string | undefined;
  /** user and password from the URL (decoded), for digest auth. */
  credentials: { user: string; pass: string } | undefined;
  /** What cookies are matched against. */
  scope: CookieScope;
  /** The url tag value last reported to the cardinality guard for this URL. */
  tagged: string | undefined;
}

/** A Target, or why the URL is invalid (without the URL, which is the url tag: the message is the low-cardinality error tag). */
export function parseTarget(url: string): Target | string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    const unset = /^(undefined|null|NaN)\b/.exec(url);
    return unset === null ? 'invalid URL: not an absolute URL' : `invalid URL: not an absolute URL (it starts with "${unset[1]}": is a variable it is built from unset?)`;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return `invalid URL: unsupported protocol "${u.protocol.slice(0, -1)}" (use http or https)`;
  let basicAuth: string | undefined;
  let credentials: Target['credentials'];
  let clean = url;
  if (u.username !== '' || u.password !== '') {
    const user = safeDecode(u.username);
    const pass = safeDecode(u.password);
    credentials = { user, pass };
    basicAuth = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    clean = `${u.protocol}//${u.password !== '' ? '****:****' : '****'}@${u.host}${u.pathname}${u.search}${u.hash}`;
  }
  return { href: u.href, origin: u.origin, path: u.pathname + u.search, host: u.hostname, clean, basicAuth, credentials, scope: cookieScope(u)!, tagged: undefined };
}

/** Parsed URLs per config (all VUs of a test share one config), up to TARGETS_CACHED each. */
const targetCaches = new WeakMap<HttpClientConfig, Map<string, Target>>();
const TARGETS_CACHED = 4096;

/** The cache of parsed URLs that every client made with `config` shares. */
export function targetCache(config: HttpClientConfig): Map<string, Target> {
  let cache = targetCaches.get(config);
  if (cache === undefined) {
    cache = new Map();
    targetCaches.set(config, cache);
  }
  return cache;
}

/** `url` parsed, from the cache when it is there (a valid one is added), or why it is invalid. */
export function cachedTarget(cache: Map<string, Target>, url: string): Target | string {
  const t = cache.get(url);
  if (t !== undefined) return t;
  const parsed = parseTarget(url);
  if (typeof parsed === 'string') return parsed;
  if (cache.size >= TARGETS_CACHED) cache.clear();
  cache.set(url, parsed);
  return parsed;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
