import { createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { vuClients } from '../../../test/vu-http-fixture.js';
import { parseHead } from './h1-head.js';

const BASE = TagSet.EMPTY.with('scenario', 'default');
const { vu, closeAll } = vuClients();
afterEach(closeAll);

/** What one scripted response is: raw bytes, sent in pieces (each piece its own write, `gapMs` apart). */
interface Reply {
  pieces: Array<string | Buffer>;
  gapMs?: number;
  /** Close the connection after the last piece. */
  close?: boolean;
}

/**
 * A raw TCP server that answers each request (read up to its blank line, plus its Content-Length
 * body) with the next scripted reply, and records every request's bytes and connection number.
 */
async function scriptedServer(replies: Reply[]): Promise<{ url: string; requests: Array<{ conn: number; raw: string }>; connections: () => number; close: () => Promise<void> }> {
  const requests: Array<{ conn: number; raw: string }> = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let next = 0;
  const server = createServer((socket) => {
    const conn = ++connections;
    sockets.add(socket);
    socket.setNoDelay(true);
    let buffered = '';
    socket.on('data', async (d) => {
      buffered += d.toString('latin1');
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const length = Number(/\r\ncontent-length: (\d+)/i.exec(buffered.slice(0, end))?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        requests.push({ conn, raw: buffered.slice(0, end + 4 + length) });
        buffered = buffered.slice(end + 4 + length);
        const reply = replies[Math.min(next++, replies.length - 1)]!;
        for (const [i, p] of reply.pieces.entries()) {
          if (i > 0 && reply.gapMs) await new Promise((r) => setTimeout(r, reply.gapMs));
          if (!socket.destroyed) socket.write(p);
        }
        if (reply.close) socket.end();
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Splits a string into one-byte pieces (each its own write and, with a gap, its own TCP segment). */
const bytewise = (s: string): string[] => [...s];

describe('H1Client: the request on the wire', () => {
  it('GET: request line, Host, the headers in canonical case as Go writes them; no Content-Length and no Connection header', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'] }]);
    const { http } = vu();
    const res = await http.request('GET', `${server.url}/a?b=1`, undefined, { headers: { 'X-Test': 'yes' } }, BASE);
    expect(res.status).toBe(200);
    expect(server.requests[0]!.raw).toBe(`GET /a?b=1 HTTP/1.1\r\nHost: ${server.url.slice(7)}\r\nUser-Agent: loadts-test\r\nX-Test: yes\r\n\r\n`);
    await server.close();
  });

  it('POST: a UTF-8 body with its byte length; POST without a body sends Content-Length: 0', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu({ userAgent: '' });
    await http.request('POST', server.url, 'héllo', undefined, BASE);
    await http.request('POST', server.url, undefined, undefined, BASE);
    expect(server.requests[0]!.raw).toMatch(/\r\nContent-Length: 6\r\n\r\n/);
    expect(Buffer.from(server.requests[0]!.raw, 'latin1').toString('utf8')).toMatch(/héllo$/);
    expect(server.requests[1]!.raw).toMatch(/\r\nContent-Length: 0\r\n\r\n$/);
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('a Host header from the script replaces the URL host; Connection: close closes after the response', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu();
    await http.request('GET', server.url, undefined, { headers: { Host: 'example.test', Connection: 'close' } }, BASE);
    await http.request('GET', server.url, undefined, undefined, BASE);
    expect(server.requests[0]!.raw).toMatch(/^GET \/ HTTP\/1\.1\r\nHost: example\.test\r\nConnection: close\r\n/);
    expect(server.connections()).toBe(2);
    await server.close();
  });

  it('a header value with CR/LF (header injection) or an invalid name fails the request; nothing is sent', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu();
    const bad = await http.request('GET', server.url, undefined, { headers: { 'x-a': 'one\r\nx-b: two' } }, BASE);
    expect(bad.status).toBe(0);
    expect(bad.error).toMatch(/invalid value for header "x-a"/);
    const badName = await http.request('GET', server.url, undefined, { headers: { 'bad name': 'x' } }, BASE);
    expect(badName.error).toMatch(/invalid header name/);
    // a method is a token: no second request line smuggled in through it
    const badMethod = await http.request('GET /admin HTTP/1.1\r\nX-Injected: 1\r\n\r\nGET', `${server.url}/x`, undefined, undefined, BASE);
    expect(badMethod.error).toMatch(/invalid request method/);
    expect(server.requests).toHaveLength(0);
    await server.close();
  });

  it('a large upload to a slow reader is sending (until the kernel has taken it all), not waiting', async () => {
    const size = 32 * 1024 * 1024;
    let received = 0;
    const server = createServer((socket) => {
      socket.pause();
      setTimeout(() => socket.resume(), 300);
      socket.on('data', (d) => {
        received += d.length;
        if (received >= size - 200) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { http } = vu();
    const res = await http.request('POST', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, Buffer.alloc(size - 200), undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.timings.sending).toBeGreaterThan(200);
    expect(res.timings.waiting).toBeLessThan(100);
    await new Promise<void>((r) => server.close(() => r()));
  });

  it('non-ASCII header values go out as UTF-8 (as k6 sends them)', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu();
    await http.request('GET', server.url, undefined, { headers: { 'x-name': 'Zoë €' } }, BASE);
    expect(Buffer.from(server.requests[0]!.raw, 'latin1').toString('utf8')).toContain('\r\nX-Name: Zoë €\r\n');
    await server.close();
  });
});

describe('H1Client: response framing', () => {
  it('a response delivered one byte per write: head, Content-Length body', async () => {
    const server = await scriptedServer([{ pieces: bytewise('HTTP/1.1 201 Created\r\nContent-Length: 5\r\nX-Y: z\r\n\r\nhello'), gapMs: 1 }]);
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.status).toBe(201);
    expect(res.status_text).toBe('201 Created');
    expect(res.headers['X-Y']).toBe('z');
    expect(res.body).toBe('hello');
    await server.close();
  });

  it('chunked, one byte per write, with chunk extensions and trailers; the connection is reused', async () => {
    const body = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n';
    const server = await scriptedServer([{ pieces: bytewise(body), gapMs: 1 }, { pieces: [body] }]);
    const { http } = vu();
    const one = await http.request('GET', server.url, undefined, undefined, BASE);
    const two = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(one.body).toBe('hello world');
    expect(two.body).toBe('hello world');
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('a discarded body (discardResponseBodies) is still framed and counted, byte for byte, without being kept', async () => {
    const raw = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n';
    const server = await scriptedServer([{ pieces: bytewise(raw.slice(0, 60)).concat(raw.slice(60)), gapMs: 1 }]);
    const { http, samples } = vu({ discardResponseBodies: true });
    const one = await http.request('GET', server.url, undefined, undefined, BASE);
    const two = await http.request('GET', server.url, undefined, undefined, BASE);
    expect([one.status, one.body, two.status, two.body]).toEqual([200, null, 200, null]);
    expect(samples.map((s) => s.bytesReceived)).toEqual([raw.length, raw.length]);
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('no Content-Length and no chunking: the body runs until the server closes, and the next request reconnects', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\n\r\npart one, ', 'part two'], gapMs: 10, close: true }]);
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.error).toBe('');
    expect(res.body).toBe('part one, part two');
    await http.request('GET', server.url, undefined, undefined, BASE);
    expect(server.connections()).toBe(2);
    await server.close();
  });

  it('1xx responses are skipped; HEAD, 204 and 304 have no body even with a Content-Length; all on one connection', async () => {
    const server = await scriptedServer([
      { pieces: ['HTTP/1.1 100 Continue\r\n\r\n', 'HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok'], gapMs: 5 },
      { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n'] },
      { pieces: ['HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n'] },
      { pieces: ['HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n'] },
    ]);
    const { http } = vu();
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).body).toBe('ok');
    const head = await http.request('HEAD', server.url, undefined, undefined, BASE);
    expect([head.status, head.body]).toEqual([200, '']);
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(204);
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(304);
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('Connection: close, HTTP/1.0 without keep-alive, and bytes after the response each end the connection', async () => {
    const server = await scriptedServer([
      { pieces: ['HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n'] },
      { pieces: ['HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n'] },
      { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nxJUNK'] },
      { pieces: ['HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n'] },
    ]);
    const { http } = vu();
    for (let i = 0; i < 5; i++) expect((await http.request('GET', server.url, undefined, undefined, BASE)).status).toBe(200);
    // 1 close → 2; 1.0 → 3; junk → 4; 1.0 keep-alive stays → the fifth request reuses the fourth connection
    expect(server.requests.map((r) => r.conn)).toEqual([1, 2, 3, 4, 4]);
    await server.close();
  });

  it("a server's Keep-Alive hint is honoured, less 2 s: timeout=2 means do not reuse", async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nKeep-Alive: timeout=2\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu();
    await http.request('GET', server.url, undefined, undefined, BASE);
    await new Promise((r) => setTimeout(r, 5));
    await http.request('GET', server.url, undefined, undefined, BASE);
    expect(server.connections()).toBe(2);
    await server.close();
  });

  it('repeated headers are arrays inside and joined with ", " in res.headers; Set-Cookie lines stay separate', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nVary: a\r\nvary: b\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nContent-Length: 0\r\n\r\n'] }]);
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.headers.Vary).toBe('a, b');
    expect(Object.keys(res.cookies).sort()).toEqual(['a', 'b']);
    await server.close();
  });
});

describe('H1Client: lenient where Go is', () => {
  it('lines that end in a bare LF (head and chunked body), as Go reads them', async () => {
    const server = await scriptedServer([
      { pieces: ['HTTP/1.1 200 OK\nContent-Length: 2\n\nok'] },
      { pieces: ['HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n2\nab\n1\r\nc\r\n0\n\n'] },
    ]);
    const { http } = vu();
    const one = await http.request('GET', server.url, undefined, undefined, BASE);
    expect([one.status, one.body, one.error]).toEqual([200, 'ok', '']);
    const two = await http.request('GET', server.url, undefined, undefined, BASE);
    expect([two.status, two.body, two.error]).toEqual([200, 'abc', '']);
    expect(server.connections()).toBe(1);
    await server.close();
  });
});

describe('H1Client: broken responses are errors with k6 codes', () => {
  it('a malformed status line → 1000 "malformed HTTP response"', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/2 200 OK\r\n\r\n'] }]);
    const { http, samples } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect([res.status, res.error_code]).toEqual([0, 1000]);
    expect(res.error).toMatch(/^malformed HTTP response/);
    expect(samples).toHaveLength(1);
    await server.close();
  });

  it('headers past maxHeaderSize → "response headers too large"', async () => {
    const server = await scriptedServer([{ pieces: [`HTTP/1.1 200 OK\r\nX-Big: ${'x'.repeat(20_000)}`, `${'y'.repeat(70_000)}\r\n\r\n`] }]);
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.error).toBe('response headers too large');
    await server.close();
  });

  it('a bad chunk size, and a bad Content-Length, are malformed responses', async () => {
    const server = await scriptedServer([
      { pieces: ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'] },
      { pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n'] },
    ]);
    const { http } = vu();
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).error).toMatch(/^malformed HTTP response \(HPE_INVALID_CHUNK_SIZE\)/);
    expect((await http.request('GET', server.url, undefined, undefined, BASE)).error).toMatch(/^malformed HTTP response \(HPE_INVALID_CONTENT_LENGTH\)/);
    await server.close();
  });

  it('the server closing in the middle of a body → "EOF: the server closed the connection" (not replayed: a byte had arrived)', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a part'], close: true }]);
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect([res.status, res.error_code, res.error]).toEqual([0, 1000, 'EOF: the server closed the connection']);
    expect(server.requests).toHaveLength(1);
    await server.close();
  });
});

describe('H1Client: one VU, several requests', () => {
  it('concurrent requests above batchPerHost queue on the connections and all complete, each on its own turn', async () => {
    const server = await scriptedServer([{ pieces: ['HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n', 'ok'], gapMs: 5 }]);
    const { http } = vu({ maxConnectionsPerHost: 2 });
    const all = await Promise.all(Array.from({ length: 6 }, () => http.request('GET', server.url, undefined, undefined, BASE)));
    expect(all.map((r) => r.body)).toEqual(Array(6).fill('ok'));
    expect(server.connections()).toBe(2);
    await server.close();
  });
});

describe('parseHead', () => {
  it('status, reason, lower-cased names, trimmed values, folded lines', () => {
    const h = parseHead('HTTP/1.1 404 Not Found\r\nContent-Type:  text/plain \r\nX-Long: a\r\n  b\r\nX-Empty:');
    expect(h).toEqual({ minor: 1, status: 404, reason: 'Not Found', headers: { 'content-type': 'text/plain', 'x-long': 'a b', 'x-empty': '' } });
    expect(parseHead('HTTP/1.0 200\r\nA: 1').reason).toBe('');
  });

  it('rejects what is not an HTTP/1.x response head', () => {
    for (const bad of ['HTTP/1.1 2e2 OK', 'HTTP/1.1 099 OK', 'HTTP/1.1 20 OK', 'HTTP/1.2 200 OK', 'ICY 200 OK', 'HTTP/1.1 200OK', 'HTTP/1.1 200 OK\r\nno colon', 'HTTP/1.1 200 OK\r\nBad Name: x', 'HTTP/1.1 200 OK\r\n folded-first']) {
      expect(() => parseHead(bad), bad).toThrow(/malformed HTTP response/);
    }
  });

  it("headers named like Object.prototype's members are plain headers; __proto__ is dropped", () => {
    const h = parseHead('HTTP/1.1 200 OK\r\n__proto__: x\r\nConstructor: c\r\ntoString: t\r\nA: 1');
    expect(Object.getPrototypeOf(h.headers)).toBe(Object.prototype);
    expect(h.headers).toEqual({ constructor: 'c', tostring: 't', a: '1' });
  });

  it('status and header lines may end in a bare LF', () => {
    expect(parseHead('HTTP/1.1 200 OK\nA: 1\r\nB:2').headers).toEqual({ a: '1', b: '2' });
  });
});
