import { describe, expect, it } from 'vitest';
import { isSecretHeader, redactHeaders, redactText, redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('masks the password, keeps the user name and everything else', () => {
    expect(redactUrl('http://user:pass@host/x?q=1')).toBe('http://user:***@host/x?q=1');
    expect(redactUrl('https://u:p@h:8443')).toBe('https://u:***@h:8443');
    expect(redactUrl('HTTP://U:P%40x@h/')).toBe('HTTP://U:***@h/');
    expect(redactUrl('http://a:b@c:d@e/')).toBe('http://a:***@e/'); // a password with @ in it, up to the last @
    expect(redactUrl('user:pass@host/x')).toBe('user:***@host/x'); // no scheme (an invalid URL)
  });

  it('leaves URLs without a password alone', () => {
    for (const u of ['http://user@host/', 'http://host/path?email=a@b.c', 'undefined/get', 'http://[::1]:8080/']) expect(redactUrl(u)).toBe(u);
  });
});

describe('redactHeaders', () => {
  it('masks Authorization, Proxy-Authorization, Cookie and Set-Cookie, whatever their case', () => {
    expect(redactHeaders({ Authorization: 'Bearer t', 'proxy-authorization': 'Basic x', COOKIE: 'a=b', 'Set-Cookie': ['a=1', 'b=2'], 'content-type': 'text/plain' })).toEqual({
      Authorization: '***',
      'proxy-authorization': '***',
      COOKIE: '***',
      'Set-Cookie': '***',
      'content-type': 'text/plain',
    });
    expect(isSecretHeader('X-Api-Key')).toBe(false);
  });
});

describe('redactText', () => {
  it('masks URL passwords and secret header values in messages, header lines and JSON', () => {
    expect(redactText('GET http://a:s3cret@h/x: dial: connection refused')).toBe('GET http://a:***@h/x: dial: connection refused');
    expect(redactText('see http://x/ and ftp://u:pw@f/ too')).toBe('see http://x/ and ftp://u:***@f/ too');
    expect(redactText('Authorization: Bearer abc\r\nCookie: a=b; c=d\r\nSet-Cookie: sid=1; Path=/\r\nProxy-Authorization: Basic q')).toBe(
      'Authorization: ***\r\nCookie: ***\r\nSet-Cookie: ***\r\nProxy-Authorization: ***',
    );
    expect(redactText('{"authorization":"Bearer x","Cookie": "a=b","x":1}')).toBe('{"authorization":"***","Cookie": "***","x":1}');
    expect(redactText('headers: {"authorization":"Bearer x"}')).not.toContain('Bearer x');
  });

  it('leaves ordinary text alone', () => {
    for (const t of ['the cookie jar: 3 cookies', 'iteration failed at script.ts:7:26', 'no cookies: 0', 'a@b.c wrote http://h/x']) expect(redactText(t)).toBe(t);
  });
});
