import { describe, expect, it } from 'vitest';
import { selfSignedCert } from '../target/self-signed-cert.js';
import { resolveTlsAuth, resolveTlsVersion } from './tls.js';

const W = { path: 'tlsVersion', source: 'script', code: 'INVALID_OPTION' as const };
const A = { ...W, path: 'tlsAuth' };

describe('tlsVersion (k6)', () => {
  it('a single version is both min and max; { min, max } may leave either out; unset is no constraint', () => {
    expect(resolveTlsVersion(undefined, W)).toEqual({ min: '', max: '' });
    expect(resolveTlsVersion('tls1.2', W)).toEqual({ min: 'tls1.2', max: 'tls1.2' });
    expect(resolveTlsVersion({ min: 'tls1.2' }, W)).toEqual({ min: 'tls1.2', max: '' });
    expect(resolveTlsVersion({ min: 'tls1.0', max: 'tls1.3' }, W)).toEqual({ min: 'tls1.0', max: 'tls1.3' });
  });

  it('errors name the option and the value', () => {
    expect(() => resolveTlsVersion('ssl3.0', W)).toThrow("invalid option tlsVersion (script): ssl3.0 is not supported (Node's TLS speaks tls1.0 to tls1.3)");
    expect(() => resolveTlsVersion({ min: 'TLS1.2' }, W)).toThrow('invalid option tlsVersion.min (script): must be one of tls1.0, tls1.1, tls1.2, tls1.3, got "TLS1.2"');
    expect(() => resolveTlsVersion({ minimum: 'tls1.2' }, W)).toThrow('unknown key "minimum" (use min and max)');
    expect(() => resolveTlsVersion(12, W)).toThrow('must be a version such as "tls1.2" or { min, max }, got 12');
  });
});

describe('tlsAuth (k6)', () => {
  const pem = selfSignedCert({ commonName: 'loadts client' });

  it('entries with domains (lower-cased), cert and key; no domains means every host', () => {
    expect(resolveTlsAuth(undefined, A)).toEqual([]);
    expect(resolveTlsAuth([{ domains: ['API.example.com', '*.internal'], cert: pem.cert, key: pem.key }], A)).toEqual([
      { domains: ['api.example.com', '*.internal'], cert: pem.cert, key: pem.key, password: '' },
    ]);
    expect(resolveTlsAuth([{ cert: pem.cert, key: pem.key }], A)[0]!.domains).toEqual([]);
  });

  it('certificates and keys are parsed up front; an encrypted key needs its password', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const encrypted = createPrivateKey(pem.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }) as string;
    expect(resolveTlsAuth([{ cert: pem.cert, key: encrypted, password: 'pw' }], A)[0]!.password).toBe('pw');
    expect(() => resolveTlsAuth([{ cert: pem.cert, key: encrypted }], A)).toThrow(/tlsAuth\[0\]\.key \(script\): cannot be read \(encrypted\? set password\)/);
    expect(() => resolveTlsAuth([{ cert: pem.cert.replace(/[A-Za-z]{10}/, 'xxxxxxxxxx'), key: pem.key }], A)).toThrow(/tlsAuth\[0\]\.cert \(script\): is not a valid certificate/);
    expect(() => resolveTlsAuth([{ cert: pem.cert, key: pem.key, domains: 'a.com' }], A)).toThrow('invalid option tlsAuth[0].domains (script): must be a list of host names, got "a.com"');
    expect(() => resolveTlsAuth({ cert: pem.cert }, A)).toThrow('must be a list of { domains, cert, key }');
    expect(() => resolveTlsAuth([{ cert: pem.cert, key: pem.key, pass: 'x' }], A)).toThrow('unknown key "pass"');
  });
});
