import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { selfSignedCert } from './self-signed-cert.js';

describe('selfSignedCert', () => {
  it('a valid X.509 v3 certificate: self-signed, SAN for localhost and loopback addresses, the key matches', () => {
    const { cert, key } = selfSignedCert();
    const x = new X509Certificate(cert);
    expect(x.subject).toBe('CN=localhost');
    expect(x.issuer).toBe('CN=localhost');
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkHost('localhost')).toBe('localhost');
    expect(x.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x.checkIP('::1')).toBe('::1');
    expect(x.checkHost('example.com')).toBeUndefined();
    expect(x.ca).toBe(true);
    expect(x.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']));
    expect(new Date(x.validFrom).getTime()).toBeLessThan(Date.now());
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(createPublicKey(createPrivateKey(key)).export({ type: 'spki', format: 'pem' })).toBe(x.publicKey.export({ type: 'spki', format: 'pem' }));
  });

  it('custom names and validity; every certificate has its own key and serial', () => {
    const a = new X509Certificate(selfSignedCert({ commonName: 'loadts client', altNames: ['api.test', '10.1.2.3', 'fe80::1'], validDays: 1 }).cert);
    expect(a.subject).toBe('CN=loadts client');
    expect(a.subjectAltName).toBe('DNS:api.test, IP Address:10.1.2.3, IP Address:FE80:0:0:0:0:0:0:1');
    const b = new X509Certificate(selfSignedCert().cert);
    expect(a.serialNumber).not.toBe(b.serialNumber);
  });

  it('a TLS client that trusts the certificate verifies the handshake by name', async () => {
    const pem = selfSignedCert();
    const server = createServer({ cert: pem.cert, key: pem.key }, (_q, s) => s.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: [pem.cert] }, () => {
          resolve(s.authorized);
          s.end();
        });
        s.on('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      server.close();
    }
  });
});
