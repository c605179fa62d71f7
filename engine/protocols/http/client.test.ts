import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { startDemoTarget, type DemoTarget } from '../../target/server.js';
import { expectedStatuses, VuHttp, type HttpClientConfig, type HttpSample } from './client.js';

const CONFIG: HttpClientConfig = {
  userAgent: 'loadts-test/1.0',
  discardResponseBodies: false,
  noConnectionReuse: false,
  defaultTimeoutMs: 60_000,
  maxRedirects: 10,
  insecureSkipTLSVerify: false,
  hosts: {},
};
const BASE = TagSet.EMPTY.with('scenario', 'default');

let target: DemoTarget;
const open: VuHttp[] = [];

/** A VU client and the samples it reports. */
function vu(config: Partial<HttpClientConfig> = {}): { http: VuHttp; samples: HttpSample[] } {
  const samples: HttpSample[] = [];
  const http = new VuHttp({ ...CONFIG, ...config }, (s) => samples.push(s));
  open.push(http);
  return { http, samples };
}

/** A loopback server that counts connections and the exact bytes each one carried. */
async function countingServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{
  url: string;
  port: number;
  connections: () => number;
  bytes: () => Promise<{ read: number; written: number }>;
  close: () => Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer({ keepAliveTimeout: 30_000 }, handler);
  server.on('connection', (s: Socket) => {
    connections++;
    sockets.add(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: () => connections,
    bytes: async () => {
      await new Promise((r) => setTimeout(r, 20));
      let read = 0;
      let written = 0;
      for (const s of sockets) {
        read += s.bytesRead;
        written += s.bytesWritten;
      }
      return { read, written };
    },
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  target = await startDemoTarget({ port: 0 });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});
afterAll(() => target.close());

describe('VuHttp: responses', () => {
  it('GET: status, k6 status_text and proto, canonical headers, body, remote address, request', async () => {
    const { http } = vu();
    const res = await http.request('GET', `${target.url}/get?a=1&b=two`, undefined, undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.status_text).toBe('200 OK');
    expect(res.proto).toBe('HTTP/1.1');
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.headers['Content-Length']).toBe(String((res.body as string).length));
    expect(res.error).toBe('');
    expect(res.error_code).toBe(0);
    expect(res.url).toBe(`${target.url}/get?a=1&b=two`);
    expect(res.remote_ip).toBe('127.0.0.1');
    expect(res.remote_port).toBe(target.port);
    expect(res.json('args')).toEqual({ a: '1', b: 'two' });
    expect(res.json('headers.User-Agent')).toBe('loadts-test/1.0');
    expect(res.request.method).toBe('GET');
    expect(res.request.url).toBe(`${target.url}/get?a=1&b=two`);
    expect(res.request.headers['User-Agent']).toBe('loadts-test/1.0');
    expect(JSON.parse(JSON.stringify(res)).headers['Content-Type']).toBe('application/json');
  });

  it('json(selector): dotted, bracket, #, #.field; missing paths are undefined; invalid JSON throws clearly', async () => {
    const { http } = vu();
    const res = await http.request('GET', `${target.url}/json`, undefined, undefined, BASE);
    expect(res.json('slideshow.author')).toBe('loadts');
    expect(res.json('slideshow.slides.1.items.0')).toBe('Why load test');
    expect(res.json('slideshow.slides[1].title')).toBe('Overview');
    expect(res.json('slideshow.slides.#')).toBe(2);
    expect(res.json('slideshow.slides.#.title')).toEqual(['Wake up to loadts', 'Overview']);
    expect(res.json('slideshow.nope.deeper')).toBeUndefined();
    expect(res.json('slideshow.slides.7')).toBeUndefined();
    const text = await http.request('GET', `${target.url}/`, undefined, undefined, BASE);
    expect(text.body).toBe('ok\n');
    expect(() => text.json()).toThrow(/cannot parse the response to GET http:\/\/127\.0\.0\.1:\d+\/ as JSON: .*body starts "ok\\n"/s);
  });

  it('HEAD has no body; PUT, PATCH and DELETE reach their echo endpoints', async () => {
    const { http } = vu();
    const head = await http.request('HEAD', `${target.url}/get`, undefined, undefined, BASE);
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const res = await http.request(method, `${target.url}/${method.toLowerCase()}`, 'x', undefined, BASE);
      expect(res.status).toBe(200);
      expect(res.json('method')).toBe(method);
      expect(res.json('data')).toBe('x');
    }
  });
});

describe('VuHttp: request bodies and params', () => {
  it('POST a string with a JSON content type', async () => {
    const { http } = vu();
    const res = await http.request('POST', `${target.url}/post`, JSON.stringify({ n: 1 }), { headers: { 'Content-Type': 'application/json' } }, BASE);
    expect(res.json('json')).toEqual({ n: 1 });
    expect(res.json('headers.Content-Type')).toBe('application/json'); // the demo target echoes names canonical, as httpbin
    expect(res.request.body).toBe('{"n":1}');
  });

  it('POST an object: form-urlencoded, arrays repeated, as k6 does', async () => {
    const { http } = vu();
    const res = await http.request('POST', `${target.url}/post`, { a: 'x y', n: 2, tags: ['p', 'q'] }, undefined, BASE);
    expect(res.json('data')).toBe('a=x+y&n=2&tags=p&tags=q');
    expect(res.json('form')).toEqual({ a: 'x y', n: '2', tags: ['p', 'q'] }); // repeated fields as a list, as httpbin
    expect(res.json('headers.Content-Type')).toBe('application/x-www-form-urlencoded');
  });

  it('POST bytes: Uint8Array (a view into a bigger buffer) and ArrayBuffer arrive byte for byte', async () => {
    const { http } = vu();
    const big = new Uint8Array([9, 9, 0, 1, 2, 255, 254, 9]);
    const view = big.subarray(2, 7);
    const res = await http.request('POST', `${target.url}/post`, view, { headers: { 'content-type': 'application/octet-stream' } }, BASE);
    expect(res.json('size')).toBe(5);
    expect(res.json('data')).toBe(`data:application/octet-stream;base64,${Buffer.from([0, 1, 2, 255, 254]).toString('base64')}`);
    const ab = new Uint8Array([1, 2, 3]).buffer;
    const res2 = await http.request('POST', `${target.url}/anything`, ab, undefined, BASE);
    expect(res2.json('size')).toBe(3);
  });

  it('headers: params override the User-Agent, names are case-insensitive; an empty userAgent sends none', async () => {
    const { http } = vu();
    const res = await http.request('GET', `${target.url}/headers`, undefined, { headers: { 'USER-AGENT': 'custom', 'X-Trace': 7 } }, BASE);
    const headers = res.json('headers') as Record<string, string>;
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(lower['user-agent']).toBe('custom');
    expect(lower['x-trace']).toBe('7');
    const { http: bare } = vu({ userAgent: '' });
    const res2 = await bare.request('GET', `${target.url}/headers`, undefined, undefined, BASE);
    expect(Object.keys(res2.json('headers') as object).map((k) => k.toLowerCase())).not.toContain('user-agent');
  });

  it("responseType: 'binary' is an ArrayBuffer, 'none' keeps nothing; discardResponseBodies is only the default", async () => {
    const { http } = vu();
    const bin = await http.request('GET', `${target.url}/bytes/30`, undefined, { responseType: 'binary' }, BASE);
    expect(bin.body).toBeInstanceOf(ArrayBuffer);
    expect(Buffer.from(bin.body as ArrayBuffer).toString('latin1')).toBe('abcdefghijklmnopqrstuvwxyzabcd');
    const none = await http.request('GET', `${target.url}/bytes/30`, undefined, { responseType: 'none' }, BASE);
    expect(none.status).toBe(200);
    expect(none.body).toBeNull();
    const { http: discard, samples } = vu({ discardResponseBodies: true });
    const d = await discard.request('GET', `${target.url}/json`, undefined, undefined, BASE);
    expect(d.body).toBeNull();
    expect(() => d.json()).toThrow(/no body \(responseType none or discardResponseBodies\?\)/);
    expect(samples[0]!.bytesReceived).toBeGreaterThan(100); // discarded, but still received and counted
    const kept = await discard.request('GET', `${target.url}/json`, undefined, { responseType: 'text' }, BASE);
    expect(kept.json('slideshow.author')).toBe('loadts');
  });

  it('invalid params throw (script bugs); network failures never do', async () => {
    const { http } = vu();
    await expect(http.request('GET', target.url, undefined, { timeout: 'soon' }, BASE)).rejects.toThrow(/invalid duration for params.timeout/);
    await expect(http.request('GET', target.url, undefined, { responseType: 'json' as never }, BASE)).rejects.toThrow(/responseType/);
    await expect(http.request('GET', target.url, undefined, { redirects: -1 }, BASE)).rejects.toThrow(/redirects/);
    await expect(http.request('GET', target.url, undefined, { auth: 'ntlm' as never }, BASE)).rejects.toThrow(/use 'basic' or 'digest'/);
    await expect(http.request('GET', target.url, undefined, { compression: 'lzma' }, BASE)).rejects.toThrow(/unknown compression algorithm/);
    await expect(http.request('GET', target.url, undefined, { cookies: 'a=1' as never }, BASE)).rejects.toThrow(/params\.cookies must be an object/);
    await expect(http.request('GET', target.url, undefined, { jar: {} as never }, BASE)).rejects.toThrow(/params\.jar must be a cookie jar/);
  });
});

describe('VuHttp: failures are responses with k6 error codes', () => {
  it('timeout → status 0, error_code 1050, after the timeout (number or duration string)', async () => {
    const { http, samples } = vu();
    const t0 = performance.now();
    const res = await http.request('GET', `${target.url}/delay/2000`, undefined, { timeout: 100 }, BASE);
    const took = performance.now() - t0;
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1050);
    expect(res.error).toBe('request timeout');
    expect(res.body).toBeNull();
    expect(took).toBeGreaterThanOrEqual(99);
    expect(took).toBeLessThan(400);
    expect(res.timings.waiting).toBeGreaterThan(90); // k6: no response → waiting runs to the end
    const tags = samples[0]!.tags;
    expect(tags.get('status')).toBe('0');
    expect(tags.get('error_code')).toBe('1050');
    expect(tags.get('error')).toBe('request timeout');
    expect(tags.get('expected_response')).toBe('false');
    expect(tags.get('proto')).toBeUndefined();
    expect(samples[0]!.failed).toBe(true);
    const res2 = await http.request('GET', `${target.url}/delay/2000`, undefined, { timeout: '150ms' }, BASE);
    expect(res2.error_code).toBe(1050);
    // the VU goes on working after a timeout (the timed-out connection was closed)
    const after = await http.request('GET', `${target.url}/`, undefined, undefined, BASE);
    expect(after.status).toBe(200);
    expect(after.timings.connecting).toBeGreaterThan(0);
  });

  it('the default timeout comes from the config', async () => {
    const { http } = vu({ defaultTimeoutMs: 80 });
    const res = await http.request('GET', `${target.url}/delay/1000`, undefined, undefined, BASE);
    expect(res.error_code).toBe(1050);
  });

  it('connection refused on a closed loopback port → 1212 "dial: connection refused"', async () => {
    const port = await closedPort();
    const { http, samples } = vu();
    const res = await http.request('GET', `http://127.0.0.1:${port}/x`, undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1212);
    expect(res.error).toBe('dial: connection refused');
    expect(res.timings.duration).toBe(0);
    expect(samples).toHaveLength(1);
    expect(samples[0]!.tags.get('error_code')).toBe('1212');
    expect(samples[0]!.tags.get('status')).toBe('0');
    expect(samples[0]!.bytesSent).toBe(0);
  });

  it('unknown host → 1101 (or 1100 when DNS itself fails)', async () => {
    const { http } = vu();
    const res = await http.request('GET', 'http://no-such-host.invalid/', undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect([1100, 1101]).toContain(res.error_code);
  });

  it('invalid URL → 1020 without throwing, recorded as a failed request (as k6 records a URL Go cannot send)', async () => {
    const { http, samples } = vu();
    const res = await http.request('GET', 'not a url', undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1020);
    expect(res.error).toBe('invalid URL: not an absolute URL');
    const ftp = await http.request('GET', 'ftp://example.com/file', undefined, undefined, BASE);
    expect(ftp.error_code).toBe(1020);
    expect(ftp.error).toMatch(/unsupported protocol "ftp"/);
    const unset = await http.request('POST', 'undefined/get', 'x', undefined, BASE);
    expect(unset.error).toMatch(/starts with "undefined": is a variable it is built from unset\?/);
    expect(samples).toHaveLength(3);
    expect(samples.every((s) => s.failed && s.timings.duration === 0 && s.bytesSent === 0)).toBe(true);
    expect(samples[2]!.tags.get('url')).toBe('undefined/get');
    expect(samples[2]!.tags.get('method')).toBe('POST');
    expect(samples[2]!.tags.get('status')).toBe('0');
    expect(samples[2]!.tags.get('error_code')).toBe('1020');
  });

  it('HTTP errors: error_code 1000+status, error empty, failed per the response callback', async () => {
    const { http, samples } = vu();
    const res = await http.request('GET', `${target.url}/status/404`, undefined, undefined, BASE);
    expect(res.status).toBe(404);
    expect(res.error_code).toBe(1404);
    expect(res.error).toBe('');
    expect(samples[0]!.failed).toBe(true);
    expect(samples[0]!.tags.get('error_code')).toBe('1404');
    expect(samples[0]!.tags.get('expected_response')).toBe('false');
  });

  it('reset by peer on a fresh connection → 1220', async () => {
    const server = createNetServer((s) => s.once('data', () => s.resetAndDestroy()));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    const { http } = vu();
    const res = await http.request('GET', `http://127.0.0.1:${port}/`, undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1220);
    expect(res.error).toBe('read: connection reset by peer');
    server.close();
  });

  it('a corrupt compressed body → 1701', async () => {
    const server = await countingServer((_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip', 'content-length': 5 });
      res.end('nope!');
    });
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1701);
    expect(res.error).toMatch(/error decompressing response body/);
    // with the body discarded nothing is decompressed, so nothing fails
    const none = await http.request('GET', server.url, undefined, { responseType: 'none' }, BASE);
    expect(none.status).toBe(200);
    await server.close();
  });

  it('close() ends requests in flight with an error; the next request reconnects', async () => {
    const { http } = vu();
    const pending = http.request('GET', `${target.url}/delay/5000`, undefined, undefined, BASE);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await http.close();
    const res = await pending;
    expect(performance.now() - t0).toBeLessThan(500);
    expect(res.status).toBe(0);
    expect(res.error_code).toBe(1000);
    const again = await http.request('GET', `${target.url}/`, undefined, undefined, BASE);
    expect(again.status).toBe(200);
    expect(again.timings.connecting).toBeGreaterThan(0);
  });
});

describe('VuHttp: redirects', () => {
  it('follows a chain; every hop is a sample tagged with its own URL; res.url is the last', async () => {
    const { http, samples } = vu();
    const res = await http.request('GET', `${target.url}/redirect/3`, undefined, undefined, BASE);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${target.url}/get`);
    expect(res.json('url')).toBe('/get');
    expect(res.request.url).toBe(`${target.url}/redirect/3`);
    expect(samples.map((s) => [s.tags.get('status'), s.tags.get('url')])).toEqual([
      ['302', `${target.url}/redirect/3`],
      ['302', `${target.url}/redirect/2`],
      ['302', `${target.url}/redirect/1`],
      ['200', `${target.url}/get`],
    ]);
    expect(samples.every((s) => s.tags.get('expected_response') === 'true')).toBe(true);
    expect(samples.slice(1).every((s) => s.timings.connecting === 0)).toBe(true);
  });

  it('stops at params.redirects or maxRedirects and returns the redirect itself', async () => {
    const { http, samples } = vu({ maxRedirects: 1 });
    const res = await http.request('GET', `${target.url}/redirect/5`, undefined, { redirects: 2 }, BASE);
    expect(res.status).toBe(302);
    expect(res.url).toBe(`${target.url}/redirect/3`);
    expect(res.headers.Location).toBe('/redirect/2');
    expect(res.error).toBe('');
    expect(samples).toHaveLength(3);
    const one = await http.request('GET', `${target.url}/redirect/5`, undefined, undefined, BASE);
    expect(one.url).toBe(`${target.url}/redirect/4`);
    const none = await http.request('GET', `${target.url}/redirect/5`, undefined, { redirects: 0 }, BASE);
    expect(none.status).toBe(302);
    expect(none.url).toBe(`${target.url}/redirect/5`);
  });

  it('301/302/303 turn into GET without the body; 307/308 repeat the method and body', async () => {
    const { http } = vu();
    const to = encodeURIComponent('/anything');
    const r303 = await http.request('POST', `${target.url}/redirect-to?url=${to}&status_code=303`, 'payload', { headers: { 'content-type': 'text/plain' } }, BASE);
    expect(r303.json('method')).toBe('GET');
    expect(r303.json('data')).toBe('');
    expect(r303.json('headers.Content-Type')).toBeUndefined();
    const r302 = await http.request('PUT', `${target.url}/redirect-to?url=${to}&status_code=302`, 'payload', undefined, BASE);
    expect(r302.json('method')).toBe('GET');
    const r307 = await http.request('POST', `${target.url}/redirect-to?url=${to}&status_code=307`, 'payload', undefined, BASE);
    expect(r307.json('method')).toBe('POST');
    expect(r307.json('data')).toBe('payload');
    const r308 = await http.request('PATCH', `${target.url}/redirect-to?url=${to}&status_code=308`, 'p2', undefined, BASE);
    expect(r308.json('method')).toBe('PATCH');
    expect(r308.json('data')).toBe('p2');
  });

  it('the timeout covers every hop', async () => {
    const { http } = vu();
    const to = encodeURIComponent('/delay/300');
    const t0 = performance.now();
    const res = await http.request('GET', `${target.url}/redirect-to?url=${to}`, undefined, { timeout: 150 }, BASE);
    expect(res.error_code).toBe(1050);
    expect(performance.now() - t0).toBeLessThan(290);
  });

  it('a redirect to another host drops Authorization; hosts overrides the address, not the Host header', async () => {
    const { http } = vu({ hosts: { 'other.test': `127.0.0.1:${target.port}` } });
    const direct = await http.request('GET', 'http://other.test/headers', undefined, { headers: { Authorization: 'Bearer t' } }, BASE);
    expect(direct.status).toBe(200);
    expect(direct.json('headers.Host')).toBe('other.test');
    expect(direct.json('headers.Authorization')).toBe('Bearer t');
    expect(direct.remote_port).toBe(target.port);
    const to = encodeURIComponent('http://other.test/headers');
    const res = await http.request('GET', `${target.url}/redirect-to?url=${to}`, undefined, { headers: { Authorization: 'Bearer t' } }, BASE);
    expect(res.json('headers.Host')).toBe('other.test');
    expect(res.json('headers.Authorization')).toBeUndefined();
    expect(res.json('headers.Referer')).toBe(`${target.url}/redirect-to?url=${to}`);
  });
});

describe('VuHttp: basic auth and compression', () => {
  it('user:pass in the URL is sent as Basic auth and masked in the url tag', async () => {
    const { http, samples } = vu();
    const url = `http://alice:s3cret@127.0.0.1:${target.port}/basic-auth/alice/s3cret`;
    const res = await http.request('GET', url, undefined, { auth: 'basic' }, BASE);
    expect(res.status).toBe(200);
    expect(res.json('authenticated')).toBe(true);
    expect(samples[0]!.tags.get('url')).toBe(`http://****:****@127.0.0.1:${target.port}/basic-auth/alice/s3cret`);
    const wrong = await http.request('GET', `http://alice:nope@127.0.0.1:${target.port}/basic-auth/alice/s3cret`, undefined, undefined, BASE);
    expect(wrong.status).toBe(401);
    expect(wrong.error_code).toBe(1401);
  });

  it('gzip, deflate and br bodies are decoded; bytes received are the compressed ones', async () => {
    const { http, samples } = vu();
    for (const path of ['gzip', 'deflate', 'brotli']) {
      const res = await http.request('GET', `${target.url}/${path}`, undefined, undefined, BASE);
      expect(res.json('slideshow.author')).toBe('loadts');
    }
    const plain = await http.request('GET', `${target.url}/json`, undefined, undefined, BASE);
    expect(samples[0]!.bytesReceived).toBeLessThan(samples[3]!.bytesReceived);
    expect((plain.body as string).length).toBeGreaterThan(0);
  });
});

describe('VuHttp: tags and expected responses', () => {
  it("k6's tags: method, url, name, status, expected_response, proto, plus base and params tags", async () => {
    const { http, samples } = vu();
    await http.request('GET', `${target.url}/get`, undefined, { tags: { team: 'a' } }, BASE);
    expect(samples[0]!.tags.tags).toEqual({
      scenario: 'default',
      team: 'a',
      method: 'GET',
      url: `${target.url}/get`,
      name: `${target.url}/get`,
      status: '200',
      expected_response: 'true',
      proto: 'HTTP/1.1',
    });
    expect(samples[0]!.failed).toBe(false);
  });

  it('a name tag groups URLs and, as in k6 ≥ 0.41, is the url tag too', async () => {
    const { http, samples } = vu();
    await http.request('GET', `${target.url}/get?id=1`, undefined, { tags: { name: 'item' } }, BASE);
    await http.request('GET', `${target.url}/get?id=2`, undefined, { tags: { name: 'item' } }, BASE);
    expect(samples[0]!.tags.get('name')).toBe('item');
    expect(samples[0]!.tags.get('url')).toBe('item');
    expect(samples[1]!.tags).toBe(samples[0]!.tags); // interned: the same TagSet object
  });

  it('response callbacks: per request, from the config, or null (no expected_response, never failed)', async () => {
    const { http, samples } = vu({ responseCallback: () => expectedStatuses(404) });
    await http.request('GET', `${target.url}/status/404`, undefined, undefined, BASE);
    await http.request('GET', `${target.url}/status/200`, undefined, undefined, BASE);
    await http.request('GET', `${target.url}/status/503`, undefined, { responseCallback: expectedStatuses({ min: 500, max: 599 }) }, BASE);
    await http.request('GET', `${target.url}/status/503`, undefined, { responseCallback: null }, BASE);
    expect(samples.map((s) => [s.tags.get('expected_response'), s.failed])).toEqual([
      ['true', false],
      ['false', true],
      ['true', false],
      [undefined, false],
    ]);
  });

  it('rate-limited requests are 429s with error_code 1429', async () => {
    const { http } = vu();
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await http.request('GET', `${target.url}/ratelimit?rps=3`, undefined, undefined, BASE)).status);
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
  });
});

describe('VuHttp: timings', () => {
  // Upper bounds on measured times live in test/http-client.timing.test.ts (run alone, against a
  // target in its own process); here only what load cannot break: never early, phases add up.
  it('against /delay/50: waiting ≥ 50 ms, duration = sending + waiting + receiving', async () => {
    const { http, samples } = vu();
    await http.request('GET', `${target.url}/`, undefined, undefined, BASE); // warm up the connection
    for (let i = 0; i < 5; i++) {
      const res = await http.request('GET', `${target.url}/delay/50`, undefined, undefined, BASE);
      const t = res.timings;
      expect(t.waiting).toBeGreaterThanOrEqual(49.5);
      expect(t.duration).toBeCloseTo(t.sending + t.waiting + t.receiving, 9);
      expect(t.sending).toBeGreaterThanOrEqual(0);
      expect(t.receiving).toBeGreaterThanOrEqual(0);
      expect(t.blocked).toBeGreaterThanOrEqual(0);
      expect(t.connecting).toBe(0);
      expect(samples.at(-1)!.timings).toBe(t);
    }
  });

  it('receiving covers the body: a slowly written response', async () => {
    // The server's own clock for the gap: a 40 ms timer can fire early against performance.now()
    // (libuv's loop time is cached per turn). The client sees each part when it reads it: on a busy
    // machine the thread may lose the CPU for a time slice between the server's write and that
    // read, hence the slack.
    let gapMs = 0;
    const server = await countingServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first');
      const wroteFirst = performance.now();
      setTimeout(() => {
        gapMs = performance.now() - wroteFirst;
        res.end('last');
      }, 40);
    });
    const { http } = vu();
    const res = await http.request('GET', server.url, undefined, undefined, BASE);
    expect(res.body).toBe('firstlast');
    expect(gapMs).toBeGreaterThan(30);
    expect(res.timings.receiving).toBeGreaterThanOrEqual(gapMs - 8);
    expect(res.timings.waiting).toBeLessThan(20);
    await server.close();
  });

  it('connecting > 0 only on the first request of a VU; sequential requests share one connection', async () => {
    const server = await countingServer((_req, res) => res.end('x'));
    const { http } = vu();
    const timings = [];
    for (let i = 0; i < 5; i++) timings.push((await http.request('GET', server.url, undefined, undefined, BASE)).timings);
    expect(timings[0]!.connecting).toBeGreaterThan(0);
    expect(timings.slice(1).map((t) => t.connecting)).toEqual([0, 0, 0, 0]);
    expect(timings.every((t) => t.tls_handshaking === 0)).toBe(true);
    expect(server.connections()).toBe(1);
    // another VU has its own connection
    const other = vu();
    const t2 = (await other.http.request('GET', server.url, undefined, undefined, BASE)).timings;
    expect(t2.connecting).toBeGreaterThan(0);
    expect(server.connections()).toBe(2);
    await server.close();
  });

  it('HEAD keeps the connection alive (as Go and k6 do; undici alone would close it)', async () => {
    const server = await countingServer((_req, res) => res.end('body'));
    const { http } = vu();
    for (const method of ['HEAD', 'HEAD', 'GET']) expect((await http.request(method, server.url, undefined, undefined, BASE)).status).toBe(200);
    expect(server.connections()).toBe(1);
    await server.close();
  });

  it('noConnectionReuse: every request connects', async () => {
    const server = await countingServer((_req, res) => res.end('x'));
    const { http } = vu({ noConnectionReuse: true });
    for (let i = 0; i < 3; i++) {
      const res = await http.request('GET', server.url, undefined, undefined, BASE);
      expect(res.status).toBe(200);
      expect(res.timings.connecting).toBeGreaterThan(0);
    }
    expect(server.connections()).toBe(3);
    await server.close();
  });

  it('concurrent requests of one VU open up to 6 connections per origin; the rest wait (blocked)', async () => {
    const server = await countingServer((_req, res) => setTimeout(() => res.end('x'), 60));
    const { http } = vu();
    const all = await Promise.all(Array.from({ length: 8 }, () => http.request('GET', server.url, undefined, undefined, BASE)));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(server.connections()).toBe(6);
    const queued = all.filter((r) => r.timings.blocked > 40);
    expect(queued).toHaveLength(2);
    expect(queued.every((r) => r.timings.connecting === 0)).toBe(true);
    await server.close();
  });
});

describe('VuHttp: bytes on the wire', () => {
  it('bytesSent and bytesReceived add up exactly to what the server read and wrote', async () => {
    const server = await countingServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('y'.repeat(Number(req.url!.slice(1)) || 1));
      });
    });
    const { http, samples } = vu();
    await http.request('GET', `${server.url}/10`, undefined, undefined, BASE);
    await http.request('POST', `${server.url}/5000`, 'z'.repeat(3000), undefined, BASE);
    await Promise.all([http.request('GET', `${server.url}/70000`, undefined, undefined, BASE), http.request('GET', `${server.url}/20`, undefined, undefined, BASE)]);
    const { read, written } = await server.bytes();
    const sent = samples.reduce((a, s) => a + s.bytesSent, 0);
    const received = samples.reduce((a, s) => a + s.bytesReceived, 0);
    expect(sent).toBe(read);
    expect(received).toBe(written);
    expect(samples[1]!.bytesSent).toBeGreaterThan(3000);
    expect(samples[1]!.bytesReceived).toBeGreaterThan(5000);
    expect(samples.find((s) => s.bytesReceived > 70_000)).toBeDefined();
    await server.close();
  });
});

describe('VuHttp: streaming', () => {
  it('onChunk receives the final body as it arrives (redirect hops excluded) and nothing is kept', async () => {
    const { http } = vu();
    const chunks: string[] = [];
    const res = await http.request('GET', `${target.url}/redirect-to?url=${encodeURIComponent('/stream/4')}`, undefined, undefined, BASE, (c) => chunks.push(c.toString()));
    expect(res.status).toBe(200);
    expect(res.body).toBeNull();
    const lines = chunks.join('').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[3]!)).toEqual({ id: 3, url: '/stream/4' });
  });

  it('SSE events arrive as they are sent, never early', async () => {
    const { http } = vu();
    const at: number[] = [];
    const t0 = performance.now();
    const res = await http.request('GET', `${target.url}/sse?ttft=60&n=3&gap=30`, undefined, undefined, BASE, () => at.push(performance.now() - t0));
    expect(res.status).toBe(200);
    expect(res.headers['Content-Type']).toBe('text/event-stream');
    expect(at[0]).toBeGreaterThanOrEqual(59);
    expect(at.at(-1)!).toBeGreaterThanOrEqual(119);
  });
});
