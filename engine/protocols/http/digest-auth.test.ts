import { describe, expect, it } from 'vitest';
import { digestAuthorization, digestResponse, parseDigestAuthorization, parseDigestChallenge } from './digest-auth.js';

describe('digest authentication (RFC 7616)', () => {
  it('parses a Digest challenge, also after another scheme or in a list of headers', () => {
    const h = 'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"';
    expect(parseDigestChallenge(h)).toEqual({
      realm: 'http-auth@example.org',
      nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
      opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
      algorithm: 'MD5',
      qop: ['auth', 'auth-int'],
    });
    expect(parseDigestChallenge(`Basic realm="x", ${h}`)?.realm).toBe('http-auth@example.org');
    expect(parseDigestChallenge(['Basic realm="x"', 'Digest realm="r\\"q", nonce=abc, algorithm=SHA-256'])).toEqual({ realm: 'r"q', nonce: 'abc', opaque: undefined, algorithm: 'SHA-256', qop: [] });
    expect(parseDigestChallenge('Basic realm="x"')).toBeUndefined();
    expect(parseDigestChallenge('Digest realm="x"')).toBeUndefined(); // no nonce
    expect(parseDigestChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256')).toBeUndefined();
    expect(parseDigestChallenge(undefined)).toBeUndefined();
  });

  it("RFC 7616 §3.9.1's worked example, MD5 and SHA-256", () => {
    const input = { method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle of Life' };
    const base = { realm: 'http-auth@example.org', nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v' };
    const cnonce = 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ';
    expect(digestResponse({ ...base, algorithm: 'MD5' }, input, 'auth', cnonce, '00000001')).toBe('8ca523f5e9506fed4657c9700eebdbec');
    expect(digestResponse({ ...base, algorithm: 'SHA-256' }, input, 'auth', cnonce, '00000001')).toBe('753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1');
  });

  it("RFC 2617's example (qop=auth, MD5)", () => {
    const r = digestResponse(
      { realm: 'testrealm@host.com', nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', algorithm: 'MD5' },
      { method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle Of Life' },
      'auth',
      '0a4f113b',
      '00000001',
    );
    expect(r).toBe('6629fae49393a05397450978507c4ef1');
  });

  it('the Authorization header carries everything a server needs to check it', () => {
    const ch = parseDigestChallenge('Digest realm="r", nonce="n1", opaque="o1", qop="auth"')!;
    const input = { method: 'POST', uri: '/a?b=1', username: 'u"ser', password: 'p' };
    const h = digestAuthorization(ch, input, 'c1');
    const p = parseDigestAuthorization(h)!;
    expect(p).toMatchObject({ username: 'u"ser', realm: 'r', nonce: 'n1', uri: '/a?b=1', algorithm: 'MD5', opaque: 'o1', qop: 'auth', nc: '00000001', cnonce: 'c1' });
    expect(p.response).toBe(digestResponse(ch, input, 'auth', 'c1', '00000001'));
    const legacy = parseDigestAuthorization(digestAuthorization({ ...ch, qop: [] }, input, 'c1'))!;
    expect(legacy.qop).toBeUndefined();
    expect(legacy.response).toBe(digestResponse(ch, input, '', 'c1', '00000001'));
    const int = parseDigestAuthorization(digestAuthorization({ ...ch, qop: ['auth-int'] }, { ...input, body: 'x=1' }, 'c1'))!;
    expect(int.qop).toBe('auth-int');
    expect(parseDigestAuthorization('Basic abc')).toBeUndefined();
  });
});
