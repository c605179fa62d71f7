import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { selfSignedCert } from '../../target/self-signed-cert.js';
import { vuClients } from '../../../test/vu-http-fixture.js';

/**
 * Kept-alive connections and servers that close them: Go's retry rule (retry.ts), and the reuse
 * gate (reuse-gate.ts) that keeps requests off connections the server has closed. Every case
 * checks that the server's count of requests and the client's samples agree exactly.
 */

const BASE = TagSet.EMPTY.with('scenario', 'default');
const { vu, closeAll } = vuClients({ insecureSkipTLSVerify: true });
afterEach(closeAll);

/** What the server does with the n-th request (1-based) on a connection. */
type Answer = 'keep' | 'fin' | 'close-header' | 'drop';

const CERT = selfSignedCert();

/**
 * A raw HTTP/1.1 server (plain or TLS, http/1.1 only) that reads requests (head and
 * Content-Length body), counts each, and answers as `answer` says: 'keep' a 200 and keep the
 * connection; 'fin' a 200 and FIN right behind it (no Connection header); 'close-header' a 200
 * with `Connection: close` and FIN; 'drop' nothing, and close.
 */
async function rawServer(answer: (n: number) => Answer, tls = false): Promise<{ url: string; requests: () => number; connections: () => number; close: () => Promise<void> }> {
  let requests = 0;
  let connections = 0;
  const sockets = new Set<Socket>();
  const onSocket = (socket: Socket): void => {
    connections++;
    sockets.add(socket);
    let n = 0;
    let buffered = Buffer.alloc(0);
    socket.on('data', (d: Buffer) => {
      buffered = Buffer.concat([buffered, d]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        buffered = buffered.subarray(end + 4 + length);
        requests++;
        const a = answer(++n);
        if (socket.writableEnded) continue; // a request after our FIN: counted, never answered
        if (a === 'drop') socket.destroy();
        else if (a === 'keep') socket.write('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
        else socket.end(`HTTP/1.1 200 OK\r\n${a === 'close-header' ? 'connection: close\r\n' : ''}content-length: 2\r\n\r\nok`);
      }
    });
    socket.on('error', () => {});
  };
  const server: Server = tls ? createTlsServer({ ...CERT, ALPNProtocols: ['http/1.1'] }, onSocket) : createServer(onSocket);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    requests: () => requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

const failed = (samples: Array<{ tags: TagSet }>) => samples.filter((s) => s.tags.get('status') === '0');

describe("Go's retry rule: only idempotent requests, only on a reused connection, only when nothing of the response arrived", () => {
  const answersFirstOnly = (n: number): Answer => (n === 1 ? 'keep' : 'drop');

  it('a GET is sent again on a new connection; the failed attempt is a request of its own', async () => {
    const server = await rawServer(answersFirstOnly);
    const { http, samples } = vu();
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(200);
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.timings.connecting).toBeGreaterThan(0);
    expect(server.connections()).toBe(2);
    expect(samples).toHaveLength(3);
    expect(server.requests()).toBe(3);
    expect(failed(samples)).toHaveLength(1);
    expect(samples[1]!.tags.get('error')).toMatch(/^EOF/);
    expect(samples[1]!.failed).toBe(true);
    await server.close();
  });

  it('a POST is not sent again: EOF is reported; with an Idempotency-Key or X-Idempotency-Key header it is', async () => {
    const server = await rawServer(answersFirstOnly);
    const { http, samples } = vu();
    await http.request('POST', server.url, 'a', undefined, BASE);
    const res = await http.request('POST', server.url, 'b', undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1000);
    expect(res.error).toMatch(/^EOF/);
    expect(samples).toHaveLength(2);
    expect(server.requests()).toBe(2);

    for (const header of ['Idempotency-Key', 'X-Idempotency-Key']) {
      const keyed = await rawServer(answersFirstOnly);
      const v = vu();
      const params = { headers: { [header]: 'order-42' } };
      await v.http.request('POST', keyed.url, 'a', params, BASE);
      expect((await v.http.request('POST', keyed.url, 'b', params, BASE)).status).toBe(200);
      expect(v.samples).toHaveLength(3);
      expect(keyed.requests()).toBe(3);
      await keyed.close();
    }
    await server.close();
  });

  it('a failure on a fresh connection is the answer: not sent again', async () => {
    const server = await rawServer(() => 'drop');
    const { http, samples } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error).toMatch(/^EOF/);
    expect(samples).toHaveLength(1);
    expect(server.requests()).toBe(1);
    await server.close();
  });
});

describe('servers that close the connection after every response: no request is sent twice or lost', () => {
  for (const tls of [false, true]) {
    for (const close of ['fin', 'close-header'] as const) {
      it(`${tls ? 'https (undici)' : 'http (H1Client)'}, ${close === 'fin' ? 'FIN without a Connection header' : 'Connection: close'}: GET and POST`, async () => {
        const server = await rawServer(() => close, tls);
        const { http, samples } = vu();
        for (let i = 0; i < 40; i++) {
          const res = await http.request(i % 2 === 0 ? 'GET' : 'POST', server.url, i % 2 === 0 ? undefined : 'body', undefined, BASE);
          expect(res.error).toBe('');
          expect(res.status).toBe(200);
        }
        expect(server.requests()).toBe(40);
        expect(samples).toHaveLength(40);
        expect(failed(samples)).toHaveLength(0);
        expect(server.connections()).toBe(40);
        await server.close();
      });
    }
  }

  it('a server that keeps connections: one connection for every request', async () => {
    const server = await rawServer(() => 'keep');
    const { http, samples } = vu();
    for (let i = 0; i < 20; i++) expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(200);
    expect(server.connections()).toBe(1);
    expect(samples).toHaveLength(20);
    await server.close();
  });

  for (const tls of [false, true]) {
    it(`${tls ? 'https' : 'http'}: a server that FINs after every third response: counts agree, every GET gets its answer`, async () => {
      const server = await rawServer((n) => (n < 3 ? 'keep' : 'fin'), tls);
      const { http, samples } = vu();
      for (let i = 0; i < 30; i++) expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(200);
      expect(server.requests()).toBe(samples.length);
      const post = vu();
      for (let i = 0; i < 30; i++) await post.http.request('POST', server.url, 'x', undefined, BASE);
      expect(server.requests()).toBe(samples.length + post.samples.length);
      await server.close();
    });
  }
});
