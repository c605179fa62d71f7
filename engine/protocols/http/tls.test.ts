import { createSecureServer as createH2Server, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { vuClients } from '../../../test/vu-http-fixture.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { selfSignedCert } from '../../target/self-signed-cert.js';

/** A self-signed certificate for localhost and 127.0.0.1, made by loadts's own generator (no openssl needed). */
const pem = selfSignedCert();

describe('VuHttp over TLS', () => {
  let server: Server;
  let port = 0;
  const tcp = new Set<Socket>();
  const servernames: string[] = [];
  const { vu, closeAll } = vuClients({ insecureSkipTLSVerify: true });

  beforeAll(async () => {
    server = createServer({ key: pem.key, cert: pem.cert }, (req, res) => {
      req.resume();
      req.on('end', () => res.end(`hello ${req.headers.host}`));
    });
    server.on('connection', (s: Socket) => tcp.add(s)); // the TCP sockets: bytes on the wire
    server.on('secureConnection', (s: TLSSocket) => servernames.push((s as TLSSocket & { servername?: string }).servername ?? ''));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(closeAll);
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('a self-signed certificate is refused with 1310 unless insecureSkipTLSVerify', async () => {
    const { http, samples } = vu({ insecureSkipTLSVerify: false });
    const res = await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1310);
    expect(res.error).toBe('x509: unknown authority');
    expect(samples[0]!.tags.get('error_code')).toBe('1310');
  });

  it('https to a plain HTTP port → 1301', async () => {
    const plain = (await import('node:http')).createServer((_q, s) => s.end('x'));
    await new Promise<void>((r) => plain.listen(0, '127.0.0.1', r));
    const { http } = vu();
    const res = await http.request('GET', `https://127.0.0.1:${(plain.address() as AddressInfo).port}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1301);
    plain.close();
  });

  it('tls_handshaking and connecting on the first request only; tls_version on the response and the tags', async () => {
    const { http, samples } = vu();
    const first = await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(first.status).toBe(200);
    expect(first.body).toBe(`hello localhost:${port}`);
    expect(first.timings.connecting).toBeGreaterThan(0);
    expect(first.timings.tls_handshaking).toBeGreaterThan(0);
    expect(first.tls_version).toMatch(/^tls1\.[23]$/);
    expect(samples[0]!.tags.get('tls_version')).toBe(first.tls_version);
    const second = await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(second.timings.connecting).toBe(0);
    expect(second.timings.tls_handshaking).toBe(0);
  });

  it('bytes are counted on the wire: TLS records and the handshake, exactly what the server TCP sockets carried', async () => {
    tcp.clear();
    const { http, samples } = vu();
    await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    await http.request('POST', `https://localhost:${port}/`, 'p'.repeat(2000), undefined, TagSet.EMPTY);
    await new Promise((r) => setTimeout(r, 20));
    let read = 0;
    let written = 0;
    for (const s of tcp) {
      read += s.bytesRead;
      written += s.bytesWritten;
    }
    expect(samples[0]!.bytesReceived).toBeGreaterThan(500); // the certificate came with the first request
    expect(samples.reduce((a, s) => a + s.bytesSent, 0)).toBe(read);
    expect(samples.reduce((a, s) => a + s.bytesReceived, 0)).toBe(written);
  });

  it('hosts: the address changes; the Host header and SNI stay the URL host', async () => {
    servernames.length = 0;
    const { http } = vu({ hosts: { 'api.example.test': `127.0.0.1:${port}` } });
    const res = await http.request('GET', 'https://api.example.test/', undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello api.example.test');
    expect(servernames).toEqual(['api.example.test']);
  });
});


async function listen(server: Server | Http2SecureServer): Promise<number> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('tlsVersion', () => {
  const { vu, closeAll } = vuClients({ insecureSkipTLSVerify: true });
  let only12: Server;
  let any: Server;
  let port12 = 0;
  let portAny = 0;
  beforeAll(async () => {
    only12 = createServer({ key: pem.key, cert: pem.cert, maxVersion: 'TLSv1.2' }, (_q, s) => s.end('ok'));
    any = createServer({ key: pem.key, cert: pem.cert }, (_q, s) => s.end('ok'));
    port12 = await listen(only12);
    portAny = await listen(any);
  });
  afterEach(closeAll);
  afterAll(() => {
    only12.closeAllConnections();
    only12.close();
    any.closeAllConnections();
    any.close();
  });

  it('the default negotiates TLS 1.3; tlsVersion tls1.2 pins 1.2; { min, max } bounds it', async () => {
    expect((await vu().http.request('GET', `https://localhost:${portAny}/`, undefined, undefined, TagSet.EMPTY)).tls_version).toBe('tls1.3');
    const pinned = await vu({ tlsVersion: { min: 'tls1.2', max: 'tls1.2' } }).http.request('GET', `https://localhost:${portAny}/`, undefined, undefined, TagSet.EMPTY);
    expect(pinned.status).toBe(200);
    expect(pinned.tls_version).toBe('tls1.2');
    const ranged = await vu({ tlsVersion: { min: 'tls1.2', max: '' } }).http.request('GET', `https://localhost:${port12}/`, undefined, undefined, TagSet.EMPTY);
    expect(ranged.tls_version).toBe('tls1.2');
  });

  it('a server below the minimum fails the handshake with a TLS error code (13xx) and no response', async () => {
    const { http, samples } = vu({ tlsVersion: { min: 'tls1.3', max: '' } });
    const res = await http.request('GET', `https://localhost:${port12}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(0);
    expect(res.error_code).toBeGreaterThanOrEqual(1300);
    expect(res.error_code).toBeLessThan(1400);
    expect(res.error).toMatch(/^tls: /);
    expect(samples[0]!.tags.get('error_code')).toBe(String(res.error_code));
  });
});

describe('tlsAuth: client certificates', () => {
  const { vu, closeAll } = vuClients({ insecureSkipTLSVerify: true });
  const client = selfSignedCert({ commonName: 'loadts client', altNames: ['client.test'] });
  const other = selfSignedCert({ commonName: 'stranger', altNames: ['x.test'] });
  let server: Server;
  let port = 0;
  const peers: string[] = [];
  beforeAll(async () => {
    server = createServer({ key: pem.key, cert: pem.cert, requestCert: true, rejectUnauthorized: true, ca: [client.cert] }, (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      const cn = peer.subject?.CN;
      peers.push(Array.isArray(cn) ? cn.join(',') : (cn ?? ''));
      res.end(`hello ${peer.subject?.CN}`);
    });
    port = await listen(server);
  });
  afterEach(closeAll);
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('the certificate for the host is presented and accepted', async () => {
    const { http } = vu({ tlsAuth: [{ domains: ['elsewhere.test'], cert: other.cert, key: other.key, password: '' }, { domains: ['localhost'], cert: client.cert, key: client.key, password: '' }] });
    const res = await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(200);
    expect(res.body).toBe('hello loadts client');
    expect(peers.at(-1)).toBe('loadts client');
  });

  it('an encrypted key with its password works; wildcard domains match subdomains (hosts option, SNI kept)', async () => {
    const { createPrivateKey } = await import('node:crypto');
    const key = createPrivateKey(client.key).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }) as string;
    const { http } = vu({ hosts: { 'api.corp.test': `127.0.0.1:${port}` }, tlsAuth: [{ domains: ['*.corp.test'], cert: client.cert, key, password: 'secret' }] });
    const res = await http.request('GET', 'https://api.corp.test/', undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(200);
  });

  it('without a matching certificate the server refuses: status 0 and an error, never a throw', async () => {
    for (const config of [{}, { tlsAuth: [{ domains: ['elsewhere.test'], cert: client.cert, key: client.key, password: '' }] }, { tlsAuth: [{ domains: [], cert: other.cert, key: other.key, password: '' }] }]) {
      const res = await vu(config).http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
      expect(res.status).toBe(0);
      expect(res.error_code).toBeGreaterThan(0);
      expect(res.error).not.toBe('');
    }
  });
});

describe('HTTP/2 over TLS (ALPN)', () => {
  const { vu, closeAll } = vuClients({ insecureSkipTLSVerify: true });
  let server: Http2SecureServer;
  let port = 0;
  const sessions = new Set<ServerHttp2Session>();
  const tcp = new Set<Socket>();
  let h1Requests = 0;
  beforeAll(async () => {
    server = createH2Server({ key: pem.key, cert: pem.cert, allowHTTP1: true }, (req, res) => {
      if (req.httpVersion === '1.1') h1Requests++;
      req.resume();
      req.on('end', () => {
        res.setHeader('content-type', 'text/plain');
        res.end(`${req.httpVersion} ${req.method} ${req.url}`);
      });
    });
    server.on('session', (s: ServerHttp2Session) => {
      sessions.add(s);
      s.once('close', () => sessions.delete(s));
    });
    server.on('connection', (s: Socket) => tcp.add(s));
    port = await listen(server);
  });
  afterEach(closeAll);
  afterAll(() => {
    for (const s of sessions) s.destroy();
    server.close();
  });

  it("a server that offers h2 gets HTTP/2: proto 'HTTP/2.0' on the response and the tag, status_text from the code", async () => {
    const { http, samples } = vu();
    const res = await http.request('GET', `https://localhost:${port}/a?b=1`, undefined, undefined, TagSet.EMPTY);
    expect(res.status).toBe(200);
    expect(res.proto).toBe('HTTP/2.0');
    expect(res.status_text).toBe('200 OK');
    expect(res.body).toBe('2.0 GET /a?b=1');
    expect(res.headers['Content-Type']).toBe('text/plain');
    expect(samples[0]!.tags.get('proto')).toBe('HTTP/2.0');
    const post = await http.request('POST', `https://localhost:${port}/p`, 'x'.repeat(5000), undefined, TagSet.EMPTY);
    expect(post.body).toBe('2.0 POST /p');
  });

  it('one connection per VU: connect and TLS times on the first request only; phases add up to duration', async () => {
    const { http, samples } = vu();
    const before = tcp.size;
    for (let i = 0; i < 3; i++) await http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(tcp.size - before).toBe(1);
    expect(samples[0]!.timings.connecting).toBeGreaterThan(0);
    expect(samples[0]!.timings.tls_handshaking).toBeGreaterThan(0);
    for (const s of samples.slice(1)) {
      expect(s.timings.connecting).toBe(0);
      expect(s.timings.tls_handshaking).toBe(0);
    }
    for (const s of samples) {
      const t = s.timings;
      expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 9);
      expect(t.waiting).toBeGreaterThan(0);
    }
  });

  it('concurrent requests are multiplexed on the one h2 connection; data_sent/data_received add up to the bytes on the wire', async () => {
    tcp.clear();
    const { http, samples } = vu();
    await http.request('GET', `https://localhost:${port}/first`, undefined, undefined, TagSet.EMPTY);
    const all = await Promise.all(Array.from({ length: 10 }, (_, i) => http.request('GET', `https://localhost:${port}/${i}`, undefined, undefined, TagSet.EMPTY)));
    expect(all.every((r) => r.status === 200 && r.proto === 'HTTP/2.0')).toBe(true);
    expect(tcp.size).toBe(1);
    await http.close();
    await new Promise((r) => setTimeout(r, 30));
    const [socket] = [...tcp];
    expect(samples.reduce((a, s) => a + s.bytesSent, 0)).toBeLessThanOrEqual(socket!.bytesRead);
    expect(samples.reduce((a, s) => a + s.bytesReceived, 0)).toBeLessThanOrEqual(socket!.bytesWritten);
    // everything up to the last response is counted (the close frames after it are not)
    expect(samples.reduce((a, s) => a + s.bytesSent, 0)).toBeGreaterThan(socket!.bytesRead - 200);
    expect(samples.reduce((a, s) => a + s.bytesReceived, 0)).toBeGreaterThan(socket!.bytesWritten - 200);
  });

  it('noConnectionReuse stays on HTTP/1.1 (one connection per request); an https server without h2 is HTTP/1.1', async () => {
    const before = h1Requests;
    const res = await vu({ noConnectionReuse: true }).http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.proto).toBe('HTTP/1.1');
    expect(h1Requests).toBe(before + 1);
    const h1 = createServer({ key: pem.key, cert: pem.cert }, (_q, s) => s.end('ok'));
    const p = await listen(h1);
    try {
      const r = await vu().http.request('GET', `https://localhost:${p}/`, undefined, undefined, TagSet.EMPTY);
      expect(r.proto).toBe('HTTP/1.1');
    } finally {
      h1.closeAllConnections();
      h1.close();
    }
  });

  it('certificate verification: refused (1310) unless insecureSkipTLSVerify, or trusted by name', async () => {
    const res = await vu({ insecureSkipTLSVerify: false }).http.request('GET', `https://localhost:${port}/`, undefined, undefined, TagSet.EMPTY);
    expect(res.error_code).toBe(1310);
    const wrongName = await vu({ insecureSkipTLSVerify: false, hosts: { 'wrong.test': `127.0.0.1:${port}` } }).http.request('GET', 'https://wrong.test/', undefined, undefined, TagSet.EMPTY);
    expect([1310, 1311]).toContain(wrongName.error_code);
  });
});
