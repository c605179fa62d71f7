import { describe, expect, it } from 'vitest';
import { CookieJar, cookieScope } from './cookie-jar.js';
import { cookieHeader, parseCookieHeader, requestCookies } from './request-cookies.js';

describe('request cookies (k6 params.cookies)', () => {
  it('normalises name → value and name → { value, replace }; skips null; rejects bad input', () => {
    expect(requestCookies(undefined)).toBeUndefined();
    expect(requestCookies({})).toBeUndefined();
    expect(requestCookies({ a: 'x', n: 1, b: { value: 'y', replace: true }, c: { value: 'z' }, skip: null })).toEqual([
      { name: 'a', value: 'x', replace: false },
      { name: 'n', value: '1', replace: false },
      { name: 'b', value: 'y', replace: true },
      { name: 'c', value: 'z', replace: false },
    ]);
    expect(() => requestCookies('a=b' as never)).toThrow(/params\.cookies must be an object/);
    expect(() => requestCookies({ 'bad name': 'x' })).toThrow(/invalid cookie name/);
  });

  it("header: the script's Cookie header, then request cookies, then the jar's (minus replaced ones)", () => {
    const jar = new CookieJar();
    const scope = cookieScope('http://h.test/')!;
    jar.set('http://h.test/', 'session', 'jar');
    jar.set('http://h.test/', 'theme', 'jar');
    const own = requestCookies({ session: { value: 'mine', replace: true }, extra: 'hello world' });
    expect(cookieHeader(jar, scope, own, 'manual=1')).toBe('manual=1; session=mine; extra="hello world"; theme=jar');
    expect(cookieHeader(jar, scope, requestCookies({ session: 'mine' }), undefined)).toBe('session=mine; session=jar; theme=jar');
    expect(cookieHeader(undefined, scope, undefined, undefined)).toBe('');
    expect(cookieHeader(new CookieJar(), scope, undefined, 'x=1')).toBe('x=1');
  });

  it("parses a Cookie header into res.request.cookies' shape", () => {
    expect(parseCookieHeader('a=1; b="two words"; a=3')).toEqual({
      a: [
        { name: 'a', value: '1', replace: false },
        { name: 'a', value: '3', replace: false },
      ],
      b: [{ name: 'b', value: 'two words', replace: false }],
    });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
});
