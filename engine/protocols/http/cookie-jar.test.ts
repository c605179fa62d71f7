import { describe, expect, it } from 'vitest';
import { CookieJar, cookieScope, defaultCookiePath, domainMatches, pathMatches, type CookieScope } from './cookie-jar.js';

const at = (url: string): CookieScope => cookieScope(url)!;

describe('RFC 6265 matching rules', () => {
  it('default path: the directory of the request path', () => {
    expect(defaultCookiePath('/')).toBe('/');
    expect(defaultCookiePath('/login')).toBe('/');
    expect(defaultCookiePath('/api/v1/login')).toBe('/api/v1');
    expect(defaultCookiePath('')).toBe('/');
  });

  it('path-match: equal, or a prefix ending at a slash', () => {
    expect(pathMatches('/api', '/api')).toBe(true);
    expect(pathMatches('/api/x', '/api')).toBe(true);
    expect(pathMatches('/api/x', '/api/')).toBe(true);
    expect(pathMatches('/apix', '/api')).toBe(false);
    expect(pathMatches('/', '/api')).toBe(false);
  });

  it('domain-match: equal, or a dot-separated suffix of a host name (never of an IP)', () => {
    expect(domainMatches('example.com', 'example.com')).toBe(true);
    expect(domainMatches('www.example.com', 'example.com')).toBe(true);
    expect(domainMatches('wwwexample.com', 'example.com')).toBe(false);
    expect(domainMatches('1.2.3.4', '2.3.4')).toBe(false);
  });

  it('cookieScope: lower-case host without port, brackets or trailing dot; path without query; https', () => {
    expect(cookieScope('https://WWW.Example.com.:8443/a/b?q=1')).toEqual({ host: 'www.example.com', path: '/a/b', secure: true });
    expect(cookieScope('http://[::1]:80')).toEqual({ host: '::1', path: '/', secure: false });
    expect(cookieScope('ftp://x/')).toBeUndefined();
    expect(cookieScope('not a url')).toBeUndefined();
  });
});

describe('CookieJar', () => {
  it('host-only cookies go to that host only; Domain cookies to subdomains too', () => {
    const jar = new CookieJar();
    jar.storeResponse(at('http://example.com/'), ['host=1', 'dom=2; Domain=example.com']);
    expect(jar.header(at('http://example.com/'))).toBe('host=1; dom=2');
    expect(jar.header(at('http://api.example.com/'))).toBe('dom=2');
    expect(jar.header(at('http://other.com/'))).toBe('');
  });

  it('a Domain that does not domain-match the host, a TLD, or another IP is rejected', () => {
    const jar = new CookieJar();
    jar.storeResponse(at('http://www.example.com/'), ['a=1; Domain=evil.com', 'b=1; Domain=com', 'c=1; Domain=.example.com', 'd=1; Domain=ww.example.com']);
    expect(jar.cookiesForURL('http://www.example.com/')).toEqual({ c: ['1'] });
    jar.storeResponse(at('http://127.0.0.1/'), ['e=1; Domain=0.0.1', 'f=1; Domain=127.0.0.1']);
    expect(jar.cookiesForURL('http://127.0.0.1/')).toEqual({ f: ['1'] });
  });

  it('path: a Path attribute scopes the cookie; without one the request directory is the default', () => {
    const jar = new CookieJar();
    jar.storeResponse(at('http://h.test/api/v1/login'), ['dir=1', 'root=1; Path=/', 'app=1; Path=/app', 'bad=1; Path=relative']);
    expect(jar.cookiesForURL('http://h.test/api/v1/items')).toEqual({ dir: ['1'], root: ['1'], bad: ['1'] });
    expect(jar.cookiesForURL('http://h.test/app/x')).toEqual({ root: ['1'], app: ['1'] });
    expect(jar.cookiesForURL('http://h.test/api')).toEqual({ root: ['1'] });
  });

  it('Cookie header order: longer paths first, then older first; same (domain, path, name) replaces and keeps its place', () => {
    let now = 1_000;
    const jar = new CookieJar(() => now);
    const s = at('http://h.test/a/b/c');
    jar.storeResponse(s, 'x=1; Path=/');
    now++;
    jar.storeResponse(s, 'y=1; Path=/a/b');
    now++;
    jar.storeResponse(s, 'z=1; Path=/');
    now++;
    jar.storeResponse(s, 'x=2; Path=/');
    expect(jar.header(s)).toBe('y=1; x=2; z=1');
    expect(jar.size).toBe(3);
  });

  it('Secure cookies are sent over https only', () => {
    const jar = new CookieJar();
    jar.storeResponse(at('https://h.test/'), ['s=1; Secure', 'p=1']);
    expect(jar.header(at('https://h.test/'))).toBe('s=1; p=1');
    expect(jar.header(at('http://h.test/'))).toBe('p=1');
  });

  it('expiry: Max-Age wins over Expires; past dates and Max-Age=0 delete; expired cookies are dropped', () => {
    let now = Date.UTC(2030, 0, 1);
    const jar = new CookieJar(() => now);
    const s = at('http://h.test/');
    jar.storeResponse(s, ['short=1; Max-Age=10; Expires=Fri, 01 Jan 2100 00:00:00 GMT', 'long=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT', 'session=1']);
    expect(jar.header(s)).toBe('short=1; long=1; session=1');
    now += 11_000;
    expect(jar.header(s)).toBe('long=1; session=1');
    expect(jar.size).toBe(2);
    jar.storeResponse(s, 'long=gone; Expires=Thu, 01 Jan 1970 00:00:01 GMT');
    jar.storeResponse(s, 'session=; Max-Age=0');
    expect(jar.header(s)).toBe('');
    expect(jar.size).toBe(0);
  });

  it('values with spaces are quoted in the header; cookiesForURL lists values by name', () => {
    const jar = new CookieJar();
    jar.storeResponse(at('http://h.test/'), ['m="hello world"', 'n=1; Path=/x', 'n=2']);
    expect(jar.header(at('http://h.test/x'))).toBe('n=1; m="hello world"; n=2');
    expect(jar.cookiesForURL('http://h.test/x')).toEqual({ n: ['1', '2'], m: ['hello world'] });
  });

  it("k6's API: set with options, delete by name, clear by URL, clearAll", () => {
    const jar = new CookieJar();
    expect(jar.set('https://api.test/v1/users', 'token', 'abc')).toBe(true);
    jar.set('https://api.test/', 'pref', 'dark', { domain: 'api.test', path: '/', secure: true, http_only: true, max_age: 60 });
    jar.set('https://api.test/', 'old', 'x', { expires: 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(jar.cookiesForURL('https://api.test/v1/users/7')).toEqual({ token: ['abc'], pref: ['dark'] });
    expect(jar.cookiesForURL('http://api.test/v1/x')).toEqual({ token: ['abc'] });
    expect(jar.cookiesForURL('https://other.test/')).toEqual({});
    jar.delete('https://api.test/v1/users', 'token');
    expect(jar.cookiesForURL('https://api.test/v1/users')).toEqual({ pref: ['dark'] });
    jar.set('https://api.test/', 'a', '1');
    jar.clear('https://api.test/');
    expect(jar.size).toBe(0);
    jar.set('https://x.test/', 'b', '1');
    jar.clearAll();
    expect(jar.size).toBe(0);
    expect(() => jar.set('nope', 'a', '1')).toThrow(/invalid URL/);
    expect(() => jar.set('https://x.test/', 'bad name', '1')).toThrow(/invalid cookie name/);
    expect(() => jar.set('https://x.test/', 'a', '1', { expires: 'someday' })).toThrow(/unable to parse "expires"/);
  });
});
