import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { VuHttp, type HttpClientConfig, type HttpSample } from './client.js';

/** A self-signed certificate for localhost, made with openssl (the tests skip without it). */
function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  try {
    const dir = mkdtempSync(join(tmpdir(), 'loadts-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } catch {
    return undefined;
  }
}

const pem = selfSigned();
const CONFIG: HttpClientConfig = { userAgent: 'loadts-test', discardResponseBodies: false, noConnectionReuse: false, defaultTimeoutMs: 10_000, maxRedirects: 10, insecureSkipTLSVerify: true, hosts: {} };

describe.skipIf(pem === undefined)('VuHttp over TLS', () => {
  let server: Server;
  let port = 0;
  const tcp = new Set<Socket>();
  const servernames: string[] = [];
  const open: VuHttp[] = [];
  const vu = (config: Partial<HttpClientConfig> = {}): { http: VuHttp; samples: HttpSample[] } => {
    const samples: HttpSample[] = [];
    const http = new VuHttp({ ...CONFIG, ...config }, (s) => samples.push(s));
    open.push(http);
    return { http, samples };
  };

  beforeAll(async () => {
    server = createServer({ key: pem!.key, cert: pem!.cert }, (req, res) => {
      req.resume();
      req.on('end', () => res.end(`hello ${req.headers.host}`));
    });
    server.on('connection', (s: Socket) => tcp.add(s)); // the TCP sockets: bytes on the wire
    server.on('secureConnection', (s: TLSSocket) => servernames.push((s as TLSSocket & { servername?: string }).servername ?? ''));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((h) => h.close()));
  });
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
