import { getCiphers } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { opensslCipherList, resolveTlsCipherSuites } from './cipher-suites.js';

const W = { path: 'tlsCipherSuites', source: 'script', code: 'INVALID_OPTION' as const };

describe('tlsCipherSuites (k6)', () => {
  it("takes k6's (Go's) names and maps them to OpenSSL's for Node's `ciphers`", () => {
    const suites = ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256'];
    expect(resolveTlsCipherSuites(suites, W)).toEqual(suites);
    // TLS 1.3 suites are valid but not restricted (as in k6): they are left out of the TLS 1.2 list
    expect(opensslCipherList(suites)).toBe('ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305');
    expect(opensslCipherList([])).toBe('');
    expect(resolveTlsCipherSuites(undefined, W)).toEqual([]);
  });

  it('every modern suite maps to a cipher this OpenSSL has', () => {
    const have = new Set(getCiphers().map((c) => c.toUpperCase()));
    for (const name of ['AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-ECDSA-AES128-SHA256', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      expect(have.has(name)).toBe(true);
    }
  });

  it('errors name the option, the index and the value', () => {
    expect(() => resolveTlsCipherSuites('TLS_RSA_WITH_AES_128_GCM_SHA256', W)).toThrow('invalid option tlsCipherSuites (script): must be a list of cipher suite names');
    expect(() => resolveTlsCipherSuites(['TLS_NOPE'], W)).toThrow('invalid option tlsCipherSuites[0] (script): unknown cipher suite "TLS_NOPE"');
    expect(() => resolveTlsCipherSuites([3], W)).toThrow('tlsCipherSuites[0] (script): must be a cipher suite name, got 3');
  });
});
