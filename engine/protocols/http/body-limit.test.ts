import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { vuClients } from '../../../test/vu-http-fixture.js';

const BASE = TagSet.EMPTY.with('scenario', 'default');
const { vu, closeAll } = vuClients({ maxResponseBodyBytes: 1000 });
afterEach(closeAll);

let server: Server;
let url = '';
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const n = Number(/\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    if (req.url?.startsWith('/gzip/')) {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      res.end(gzipSync(Buffer.alloc(n, 'a')));
    } else if (req.url?.startsWith('/chunked/')) {
      res.write('b'.repeat(n / 2));
      res.end('b'.repeat(n / 2));
    } else res.end('a'.repeat(n));
  });
  server.on('connection', () => connections++);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('maxResponseBodySize: the longest body a VU keeps', () => {
  it('up to the limit the body is kept; past it the response is an error, the whole body is read and counted, and the connection is reused', async () => {
    const { http, samples } = vu();
    const before = connections;
    const ok = await http.request('GET', `${url}/1000`, undefined, undefined, BASE);
    expect(ok.status).toBe(200);
    expect((ok.body as string).length).toBe(1000);
    for (const path of ['/5000', '/chunked/5000']) {
      const big = await http.request('GET', `${url}${path}`, undefined, undefined, BASE);
      expect(big.status).toBe(0);
      expect(big.error_code).toBe(1000);
      expect(big.error).toBe('response body too large: over maxResponseBodySize (1000 B), read and counted but not kept');
      expect(big.body).toBeNull();
    }
    expect(samples[1]!.bytesReceived).toBeGreaterThan(5000);
    expect(samples[1]!.tags.get('error')).toMatch(/^response body too large/);
    expect(samples[2]!.bytesReceived).toBeGreaterThan(5000);
    expect((await http.request('GET', `${url}/10`, undefined, undefined, BASE)).status).toBe(200);
    expect(connections - before).toBe(1);
  });

  it('a compressed body is held to the limit once decoded', async () => {
    const { http } = vu();
    expect((await http.request('GET', `${url}/gzip/900`, undefined, undefined, BASE)).status).toBe(200);
    const bomb = await http.request('GET', `${url}/gzip/100000`, undefined, undefined, BASE);
    expect(bomb.status).toBe(0);
    expect(bomb.error).toMatch(/^response body too large/);
  });

  it('a body that is not kept (responseType none) has no limit', async () => {
    const { http } = vu();
    const res = await http.request('GET', `${url}/5000`, undefined, { responseType: 'none' }, BASE);
    expect(res.status).toBe(200);
    expect(res.error).toBe('');
  });
});
