import { describe, expect, it } from 'vitest';
import { clientCertFor, hostMatches, tlsVersionOptions } from './tls-config.js';

describe('TLS settings from the options', () => {
  it("tlsVersion → Node's minVersion/maxVersion; TLS 1.0/1.1 lower OpenSSL's security level", () => {
    expect(tlsVersionOptions(undefined)).toEqual({});
    expect(tlsVersionOptions({ min: '', max: '' })).toEqual({});
    expect(tlsVersionOptions({ min: 'tls1.2', max: 'tls1.2' })).toEqual({ minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' });
    expect(tlsVersionOptions({ min: 'tls1.3', max: '' })).toEqual({ minVersion: 'TLSv1.3' });
    expect(tlsVersionOptions({ min: 'tls1.0', max: 'tls1.3' })).toEqual({ minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT:@SECLEVEL=0' });
    expect(tlsVersionOptions({ min: '', max: 'tls1.1' })).toEqual({ minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  });

  it('tlsAuth domains: exact names, *.wildcards for subdomains, none for every host; the first match wins', () => {
    expect(hostMatches([], 'any.host')).toBe(true);
    expect(hostMatches(['api.example.com'], 'API.example.com')).toBe(true);
    expect(hostMatches(['api.example.com'], 'www.example.com')).toBe(false);
    expect(hostMatches(['*.example.com'], 'a.b.example.com')).toBe(true);
    expect(hostMatches(['*.example.com'], 'example.com')).toBe(false);
    const auth = [
      { domains: ['a.test'], cert: 'A', key: 'A', password: '' },
      { domains: [], cert: 'B', key: 'B', password: '' },
    ];
    expect(clientCertFor(auth, 'a.test')).toBe(0);
    expect(clientCertFor(auth, 'b.test')).toBe(1);
    expect(clientCertFor(auth.slice(0, 1), 'b.test')).toBe(-1);
    expect(clientCertFor(undefined, 'a.test')).toBe(-1);
  });
});
