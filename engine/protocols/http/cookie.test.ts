import { describe, expect, it } from 'vitest';
import { cookiePairValue, parseSetCookie } from './cookie.js';

describe('parseSetCookie (Go net/http rules, as k6)', () => {
  it('name, value and every attribute, case-insensitively', () => {
    const c = parseSetCookie('sid=abc123; Domain=Example.com; Path=/app; Secure; HttpOnly; SameSite=Strict; Max-Age=3600; Expires=Wed, 21 Oct 2037 07:28:00 GMT');
    expect(c).toEqual({
      name: 'sid',
      value: 'abc123',
      domain: 'Example.com',
      path: '/app',
      secure: true,
      httpOnly: true,
      sameSite: 'strict',
      maxAgeSec: 3600,
      expiresMs: Date.UTC(2037, 9, 21, 7, 28, 0),
    });
    expect(parseSetCookie('a=b; secure; httponly; samesite=lax')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'lax' });
    expect(parseSetCookie('a=b; SameSite=bogus')!.sameSite).toBe('');
  });

  it('quoted values are unquoted; empty values are fine; invalid names or values drop the cookie', () => {
    expect(parseSetCookie('a="hello world"')!.value).toBe('hello world');
    expect(parseSetCookie('a=')!.value).toBe('');
    expect(parseSetCookie('=b')).toBeUndefined();
    expect(parseSetCookie('no-equals-sign')).toBeUndefined();
    expect(parseSetCookie('bad name=b')).toBeUndefined();
    expect(parseSetCookie('a=x\\y')).toBeUndefined();
  });

  it('Max-Age: 0 and negative mean delete (-1); leading zeros and junk are ignored', () => {
    expect(parseSetCookie('a=b; Max-Age=0')!.maxAgeSec).toBe(-1);
    expect(parseSetCookie('a=b; Max-Age=-5')!.maxAgeSec).toBe(-1);
    expect(parseSetCookie('a=b; Max-Age=010')!.maxAgeSec).toBe(0);
    expect(parseSetCookie('a=b; Max-Age=soon')!.maxAgeSec).toBe(0);
  });

  it('Expires: RFC 1123 and the dashed Netscape form; junk is ignored', () => {
    expect(parseSetCookie('a=b; Expires=Thu, 01 Jan 2037 00:00:00 GMT')!.expiresMs).toBe(Date.UTC(2037, 0, 1));
    expect(parseSetCookie('a=b; Expires=Thu, 01-Jan-2037 00:00:00 GMT')!.expiresMs).toBe(Date.UTC(2037, 0, 1));
    expect(parseSetCookie('a=b; Expires=tomorrow-ish')!.expiresMs).toBeNaN();
    expect(parseSetCookie('a=b')!.expiresMs).toBeNaN();
  });

  it('Cookie header values with a space or a comma are quoted (Go AddCookie)', () => {
    expect(cookiePairValue('plain')).toBe('plain');
    expect(cookiePairValue('hello world')).toBe('"hello world"');
    expect(cookiePairValue('a,b')).toBe('"a,b"');
  });
});
