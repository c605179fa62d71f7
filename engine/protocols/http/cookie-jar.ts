import { isIP } from 'node:net';
import { cookiePairValue, isCookieName, parseSetCookie, type SetCookie } from './cookie.js';

/** The parts of a request URL that cookies are matched against (RFC 6265 §5.4). */
export interface CookieScope {
  /** Lower-case host name without port, brackets or trailing dot. */
  readonly host: string;
  /** The URL path without the query ('/' when empty). */
  readonly path: string;
  /** https: Secure cookies are sent. */
  readonly secure: boolean;
}

/** The cookie scope of an http(s) URL; undefined for other schemes or unparsable URLs. */
export function cookieScope(url: string | URL): CookieScope | undefined {
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return { host: canonicalHost(u.hostname), path: u.pathname === '' ? '/' : u.pathname, secure: u.protocol === 'https:' };
}

/** 'Example.COM.' → 'example.com'; '[::1]' → '::1'. */
export function canonicalHost(hostname: string): string {
  let h = hostname.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  return h;
}

/** RFC 6265 §5.1.4: the directory of the request path, '/' at the top. */
export function defaultCookiePath(requestPath: string): string {
  if (requestPath === '' || !requestPath.startsWith('/')) return '/';
  const i = requestPath.lastIndexOf('/');
  return i === 0 ? '/' : requestPath.slice(0, i);
}

/** RFC 6265 §5.1.4 path-match. */
export function pathMatches(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true;
  if (!requestPath.startsWith(cookiePath)) return false;
  return cookiePath.endsWith('/') || requestPath[cookiePath.length] === '/';
}

/** RFC 6265 §5.1.3 domain-match of a host against a (Domain-attribute) cookie domain. */
export function domainMatches(host: string, domain: string): boolean {
  return host === domain || (host.endsWith(domain) && host[host.length - domain.length - 1] === '.' && isIP(host) === 0);
}

/** A cookie in a jar. */
export interface StoredCookie {
  readonly name: string;
  readonly value: string;
  /** The host (host-only cookies) or the Domain attribute without its leading dot. */
  readonly domain: string;
  readonly path: string;
  /** Sent only to `domain` itself, not its subdomains (the cookie had no Domain attribute). */
  readonly hostOnly: boolean;
  readonly secure: boolean;
  readonly httpOnly: boolean;
  readonly sameSite: SetCookie['sameSite'];
  /** ms since the epoch; Infinity for a session cookie (kept until the jar is cleared). */
  readonly expiresMs: number;
  /** When the cookie was first stored (kept when a server replaces its value). */
  readonly createdMs: number;
  readonly seq: number;
}

/** Options of CookieJar.set(), as k6 names them. */
export interface CookieOptions {
  domain?: string;
  path?: string;
  /** An HTTP date ('Mon, 02 Jan 2006 15:04:05 GMT') or ms since the epoch. */
  expires?: string | number;
  /** Seconds; 0 or negative deletes the cookie. */
  max_age?: number;
  secure?: boolean;
  http_only?: boolean;
}

/** Why a cookie was not stored. */
type Rejection = 'domain' | undefined;

/**
 * A cookie jar, as browsers and Go's net/http/cookiejar keep one (RFC 6265): cookies keyed by
 * (domain, path, name), sent to URLs whose host domain-matches, whose path path-matches and, for
 * Secure cookies, whose scheme is https; expired cookies are dropped when they are next looked at.
 * The Cookie header lists longer paths first, then older cookies first (§5.4).
 *
 * Scripts get the VU's jar from `http.cookieJar()` or make their own with `new http.CookieJar()`
 * (k6's API: set, cookiesForURL, clear, delete). A jar is cheap while it is empty: the request path
 * asks only `size`.
 */
export class CookieJar {
  /** Domain → `${path}\0${name}` → cookie (created with the first cookie: most VUs never get one). */
  #byDomain: Map<string, Map<string, StoredCookie>> | undefined;
  readonly #now: () => number;
  #size = 0;
  #seq = 0;

  /** @param now the clock, ms since the epoch (injected by tests) */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Cookies stored (expired ones included until they are next looked at). */
  get size(): number {
    return this.#size;
  }

  /**
   * Sets a cookie for `url` as if the server at that URL had set it (k6's `jar.set`). The path
   * defaults to the URL's directory and the cookie is host-only unless `domain` is given.
   * Throws for an invalid URL, name, value or expires date.
   */
  set(url: string, name: string, value: string, opts?: CookieOptions | null): boolean {
    const scope = cookieScope(url);
    if (scope === undefined) throw new TypeError(`jar.set(): invalid URL ${JSON.stringify(url)} (use an absolute http or https URL)`);
    if (!isCookieName(name)) throw new TypeError(`jar.set(): invalid cookie name ${JSON.stringify(name)}`);
    const c: SetCookie = { name, value: String(value), domain: '', path: '', secure: false, httpOnly: false, sameSite: '', maxAgeSec: 0, expiresMs: Number.NaN };
    if (opts !== undefined && opts !== null) {
      if (opts.domain !== undefined) c.domain = String(opts.domain);
      if (opts.path !== undefined) c.path = String(opts.path);
      if (opts.secure !== undefined) c.secure = Boolean(opts.secure);
      if (opts.http_only !== undefined) c.httpOnly = Boolean(opts.http_only);
      if (opts.max_age !== undefined) {
        const secs = Math.trunc(Number(opts.max_age));
        if (!Number.isFinite(secs)) throw new TypeError(`jar.set(): max_age must be a number of seconds, got ${JSON.stringify(opts.max_age)}`);
        c.maxAgeSec = secs <= 0 ? -1 : secs;
      }
      if (opts.expires !== undefined && opts.expires !== '') {
        const ms = typeof opts.expires === 'number' ? opts.expires : Date.parse(opts.expires);
        if (!Number.isFinite(ms)) throw new TypeError(`jar.set(): unable to parse "expires" date ${JSON.stringify(opts.expires)} (use e.g. 'Mon, 02 Jan 2026 15:04:05 GMT')`);
        c.expiresMs = ms;
      }
    }
    return this.store(scope, c) === undefined;
  }

  /** The cookies that a request to `url` would send, name → values (k6's `jar.cookiesForURL`). */
  cookiesForURL(url: string): Record<string, string[]> {
    const scope = cookieScope(url);
    if (scope === undefined) throw new TypeError(`jar.cookiesForURL(): invalid URL ${JSON.stringify(url)}`);
    const out: Record<string, string[]> = {};
    for (const c of this.matching(scope)) (out[c.name] ??= []).push(c.value);
    return out;
  }

  /** Deletes every cookie a request to `url` would send (k6's `jar.clear`). */
  clear(url: string): boolean {
    const scope = cookieScope(url);
    if (scope === undefined) throw new TypeError(`jar.clear(): invalid URL ${JSON.stringify(url)}`);
    for (const c of this.matching(scope)) this.#remove(c.domain, c.path, c.name);
    return true;
  }

  /** Deletes the cookies named `name` that a request to `url` would send (k6's `jar.delete`). */
  delete(url: string, name: string): boolean {
    const scope = cookieScope(url);
    if (scope === undefined) throw new TypeError(`jar.delete(): invalid URL ${JSON.stringify(url)}`);
    for (const c of this.matching(scope)) if (c.name === name) this.#remove(c.domain, c.path, c.name);
    return true;
  }

  /** Empties the jar (a VU's jar at the start of each iteration, unless noCookiesReset). */
  clearAll(): void {
    this.#byDomain = undefined;
    this.#size = 0;
  }

  /**
   * Stores the cookies of a response's Set-Cookie header lines for the URL that answered.
   * @internal the HTTP client calls it; scripts use set()
   */
  storeResponse(scope: CookieScope, lines: string | string[]): void {
    if (typeof lines === 'string') {
      const c = parseSetCookie(lines);
      if (c !== undefined) this.store(scope, c);
      return;
    }
    for (const line of lines) {
      const c = parseSetCookie(line);
      if (c !== undefined) this.store(scope, c);
    }
  }

  /**
   * Stores one cookie as set by `scope` (RFC 6265 §5.3): a Domain attribute must domain-match the
   * host (and is not allowed for IP addresses or single-label names other than the host itself);
   * Max-Age wins over Expires; an expired cookie deletes the stored one.
   * @internal
   */
  store(scope: CookieScope, c: SetCookie): Rejection {
    let domain = scope.host;
    let hostOnly = true;
    if (c.domain !== '') {
      let d = c.domain.toLowerCase();
      if (d.startsWith('.')) d = d.slice(1);
      if (d === '' || d.endsWith('.')) return 'domain';
      // An IP address cannot set a cookie for another address; nobody can set one for a TLD.
      if (d !== scope.host && (isIP(scope.host) !== 0 || !d.includes('.') || !domainMatches(scope.host, d))) return 'domain';
      domain = d;
      hostOnly = isIP(scope.host) !== 0;
    }
    const path = c.path !== '' && c.path.startsWith('/') ? c.path : defaultCookiePath(scope.path);
    const now = this.#now();
    let expiresMs = Infinity;
    if (c.maxAgeSec < 0) expiresMs = -Infinity;
    else if (c.maxAgeSec > 0) expiresMs = now + c.maxAgeSec * 1000;
    else if (!Number.isNaN(c.expiresMs)) expiresMs = c.expiresMs;
    if (expiresMs <= now) {
      this.#remove(domain, path, c.name);
      return undefined;
    }
    this.#byDomain ??= new Map();
    let map = this.#byDomain.get(domain);
    if (map === undefined) {
      map = new Map();
      this.#byDomain.set(domain, map);
    }
    const id = `${path}\u0000${c.name}`;
    const old = map.get(id);
    if (old === undefined) this.#size++;
    map.set(id, {
      name: c.name,
      value: c.value,
      domain,
      path,
      hostOnly,
      secure: c.secure,
      httpOnly: c.httpOnly,
      sameSite: c.sameSite,
      expiresMs,
      createdMs: old?.createdMs ?? now,
      seq: old?.seq ?? this.#seq++,
    });
    return undefined;
  }

  /**
   * The unexpired cookies to send to `scope`, in Cookie header order.
   * @internal
   */
  matching(scope: CookieScope): StoredCookie[] {
    const out: StoredCookie[] = [];
    const byDomain = this.#byDomain;
    if (this.#size === 0 || byDomain === undefined) return out;
    const now = this.#now();
    const ip = isIP(scope.host) !== 0;
    // The host itself, then each parent domain ('a.b.c' → 'b.c' → 'c').
    let d = scope.host;
    for (;;) {
      const map = byDomain.get(d);
      if (map !== undefined) {
        for (const [id, c] of map) {
          if (c.expiresMs <= now) {
            map.delete(id);
            this.#size--;
            continue;
          }
          if (c.hostOnly && d !== scope.host) continue;
          if (c.secure && !scope.secure) continue;
          if (!pathMatches(scope.path, c.path)) continue;
          out.push(c);
        }
      }
      if (ip) break;
      const dot = d.indexOf('.');
      if (dot < 0) break;
      d = d.slice(dot + 1);
    }
    if (out.length > 1) out.sort((a, b) => b.path.length - a.path.length || a.createdMs - b.createdMs || a.seq - b.seq);
    return out;
  }

  /**
   * The Cookie header value for a request to `scope` ('' when no cookie applies).
   * @internal
   */
  header(scope: CookieScope): string {
    if (this.#size === 0) return '';
    let out = '';
    for (const c of this.matching(scope)) out += `${out === '' ? '' : '; '}${c.name}=${cookiePairValue(c.value)}`;
    return out;
  }

  #remove(domain: string, path: string, name: string): void {
    const map = this.#byDomain?.get(domain);
    if (map?.delete(`${path}\u0000${name}`) === true) {
      this.#size--;
      if (map.size === 0) this.#byDomain!.delete(domain);
    }
  }
}
