import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TARGET_ENDPOINTS, startDemoTarget, type DemoTarget } from './server.js';

let target: DemoTarget;
const agent = new Agent();

/** A raw request: no redirects followed, nothing decompressed. */
async function call(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}) {
  const t0 = performance.now();
  const res = await request(`${target.url}${path}`, { method: (opts.method ?? 'GET') as 'GET', headers: opts.headers, body: opts.body, dispatcher: agent });
  const body = Buffer.from(await res.body.arrayBuffer());
  return { status: res.statusCode, headers: res.headers, body, text: body.toString('utf8'), ms: performance.now() - t0, json: () => JSON.parse(body.toString('utf8')) };
}

/** Server-sent events as they arrive: [ms since the request, event text]. */
async function events(path: string, init: { method?: string; body?: string } = {}): Promise<{ at: number[]; events: string[]; type: string }> {
  const t0 = performance.now();
  const res = await request(`${target.url}${path}`, { method: (init.method ?? 'GET') as 'GET', body: init.body, headers: init.body ? { 'content-type': 'application/json' } : {}, dispatcher: agent });
  const at: number[] = [];
  const out: string[] = [];
  let buf = '';
  for await (const chunk of res.body) {
    buf += chunk.toString();
    let i: number;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      at.push(performance.now() - t0);
      out.push(buf.slice(0, i));
      buf = buf.slice(i + 2);
    }
  }
  return { at, events: out, type: String(res.headers['content-type']) };
}

beforeAll(async () => {
  target = await startDemoTarget({ port: 0 });
});
afterAll(async () => {
  await agent.close();
  await target.close();
});

describe('demo target: basics', () => {
  it('listens on 127.0.0.1 on an ephemeral port', () => {
    expect(target.url).toBe(`http://127.0.0.1:${target.port}`);
    expect(target.port).toBeGreaterThan(0);
  });

  it("/ is a 3-byte 'ok', kept alive", async () => {
    const r = await call('/');
    expect(r.status).toBe(200);
    expect(r.text).toBe('ok\n');
    expect(r.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(r.headers.connection).toBe('keep-alive');
  });

  it('unknown paths are a JSON 404', async () => {
    const r = await call('/nope');
    expect(r.status).toBe(404);
    expect(r.json().error).toMatch(/no such endpoint: \/nope/);
    expect((await call('/get/extra')).status).toBe(404);
  });

  it('a port in use is a clear error', async () => {
    await expect(startDemoTarget({ port: target.port })).rejects.toThrow(`cannot start the demo target on 127.0.0.1:${target.port}: the address is in use`);
  });
});

describe('demo target: echo endpoints', () => {
  it('/get echoes method, url, args and headers; HEAD works; other methods are 405', async () => {
    const r = await call('/get?a=1&b=x%20y', { headers: { 'X-Thing': 'v' } });
    expect(r.json()).toMatchObject({ method: 'GET', url: '/get?a=1&b=x%20y', args: { a: '1', b: 'x y' }, data: '', size: 0, origin: '127.0.0.1' });
    expect(r.json().headers['X-Thing']).toBe('v'); // names as sent
    expect((await call('/get', { method: 'HEAD' })).status).toBe(200);
    const wrong = await call('/get', { method: 'POST', body: 'x' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET');
  });

  it('/post parses JSON and forms, keeps text, and base64-encodes binary', async () => {
    const json = await call('/post', { method: 'POST', body: '{"a":[1]}', headers: { 'content-type': 'application/json' } });
    expect(json.json()).toMatchObject({ method: 'POST', data: '{"a":[1]}', json: { a: [1] }, form: {} });
    const form = await call('/post', { method: 'POST', body: 'a=1&b=two', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.json().form).toEqual({ a: '1', b: 'two' });
    const bin = await call('/post', { method: 'POST', body: Buffer.from([0xff, 0x00, 0xfe]) });
    expect(bin.json().data).toBe('data:application/octet-stream;base64,/wD+');
    expect(bin.json().size).toBe(3);
  });

  it('/put, /patch, /delete expect their method; /anything[/…] takes any', async () => {
    for (const m of ['PUT', 'PATCH', 'DELETE']) {
      expect((await call(`/${m.toLowerCase()}`, { method: m, body: 'b' })).json()).toMatchObject({ method: m, data: 'b' });
      expect((await call(`/${m.toLowerCase()}`)).status).toBe(405);
    }
    expect((await call('/anything', { method: 'OPTIONS' })).json().method).toBe('OPTIONS');
    expect((await call('/anything/deep/path?q=1', { method: 'PUT', body: 'z' })).json()).toMatchObject({ method: 'PUT', url: '/anything/deep/path?q=1', data: 'z' });
  });

  it('/headers returns the request headers', async () => {
    const r = await call('/headers', { headers: { 'X-Loadts': 'yes' } });
    expect(r.json().headers['X-Loadts']).toBe('yes');
  });
});

describe('demo target: statuses, delays, bytes, documents', () => {
  it('/status/:code responds with the code; 3xx carry a Location; invalid codes are 400', async () => {
    expect((await call('/status/418')).status).toBe(418);
    expect((await call('/status/204')).status).toBe(204);
    const redirect = await call('/status/301');
    expect(redirect.status).toBe(301);
    expect(redirect.headers.location).toBe('/get');
    expect((await call('/status/401')).headers['www-authenticate']).toBe('Basic realm="loadts"');
    expect((await call('/status/abc')).status).toBe(400);
    expect((await call('/status/99')).status).toBe(400);
  });

  it('/delay/:ms responds after ms', async () => {
    const r = await call('/delay/80');
    expect(r.json()).toEqual({ delay_ms: 80 });
    expect(r.ms).toBeGreaterThanOrEqual(79);
    expect(r.ms).toBeLessThan(150);
    expect((await call('/delay/0')).ms).toBeLessThan(50);
  });

  it('/bytes/:n is n bytes of a-z repeated', async () => {
    const r = await call('/bytes/60');
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.body.length).toBe(60);
    expect(r.text).toBe('abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(0, 60));
    expect((await call('/bytes/0')).body.length).toBe(0);
    expect((await call('/bytes/3000000')).body.length).toBe(3_000_000);
  });

  it('/json is a fixed document', async () => {
    const a = await call('/json');
    expect(a.json().slideshow.slides).toHaveLength(2);
    expect((await call('/json')).text).toBe(a.text);
  });

  it('/gzip, /deflate and /brotli are the document, compressed', async () => {
    const doc = (await call('/json')).text;
    const gz = await call('/gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(doc);
    const df = await call('/deflate');
    expect(df.headers['content-encoding']).toBe('deflate');
    expect(inflateSync(df.body).toString()).toBe(doc);
    const br = await call('/brotli');
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).toString()).toBe(doc);
  });

  it('/stream/:n is n JSON lines, chunked', async () => {
    const r = await call('/stream/3');
    expect(r.headers['transfer-encoding']).toBe('chunked');
    expect(r.text.trim().split('\n').map((l) => JSON.parse(l))).toEqual([0, 1, 2].map((id) => ({ id, url: '/stream/3' })));
  });
});

describe('demo target: cookies, redirects, auth', () => {
  it('/cookies/set sets cookies and redirects to /cookies, which echoes the Cookie header', async () => {
    const set = await call('/cookies/set?a=1&b=two');
    expect(set.status).toBe(302);
    expect(set.headers.location).toBe('/cookies');
    expect(set.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=two; Path=/']);
    expect((await call('/cookies', { headers: { cookie: 'a=1; b=two' } })).json()).toEqual({ cookies: { a: '1', b: 'two' } });
    expect((await call('/cookies')).json()).toEqual({ cookies: {} });
  });

  it('/redirect/:n chains n 302s to /get; /redirect-to goes where it is told', async () => {
    const r3 = await call('/redirect/3');
    expect([r3.status, r3.headers.location]).toEqual([302, '/redirect/2']);
    const r1 = await call('/redirect/1');
    expect(r1.headers.location).toBe('/get');
    const to = await call(`/redirect-to?url=${encodeURIComponent('http://example.com/x')}&status_code=307`);
    expect([to.status, to.headers.location]).toEqual([307, 'http://example.com/x']);
    expect((await call('/redirect-to?url=/a')).status).toBe(302);
    expect((await call('/redirect-to')).status).toBe(400);
  });

  it('/basic-auth/:user/:pass wants matching credentials', async () => {
    const denied = await call('/basic-auth/u/p');
    expect(denied.status).toBe(401);
    expect(denied.headers['www-authenticate']).toBe('Basic realm="loadts"');
    const ok = await call('/basic-auth/u/p', { headers: { authorization: `Basic ${Buffer.from('u:p').toString('base64')}` } });
    expect(ok.json()).toEqual({ authenticated: true, user: 'u' });
    expect((await call('/basic-auth/u/p', { headers: { authorization: `Basic ${Buffer.from('u:x').toString('base64')}` } })).status).toBe(401);
  });
});

describe('demo target: streams with known timings', () => {
  it('/sse: the first event after ttft, then one every gap, n in all', async () => {
    const { at, events: ev, type } = await events('/sse?ttft=60&n=4&gap=25');
    expect(type).toBe('text/event-stream');
    expect(ev).toEqual([0, 1, 2, 3].map((i) => `id: ${i}\nevent: message\ndata: {"i":${i}}`));
    expect(at[0]).toBeGreaterThanOrEqual(59);
    expect(at[0]).toBeLessThan(120);
    // never early: event 3 goes out at ttft + 3 gaps = 135 ms after the request arrived
    expect(at[3]!).toBeGreaterThanOrEqual(134);
    expect(at[3]! - at[0]!).toBeLessThan(150);
  });

  it('/v1/chat/completions streams OpenAI chunks: role and first token at ttft, then one token per gap, then [DONE]', async () => {
    const { at, events: ev } = await events('/v1/chat/completions?ttft=50&tokens=3&gap=20', { method: 'POST', body: JSON.stringify({ model: 'm', stream: true, messages: [] }) });
    const data = ev.map((e) => e.replace(/^data: /, ''));
    expect(data.at(-1)).toBe('[DONE]');
    const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
    expect(chunks.map((c) => c.choices[0].delta)).toEqual([{ role: 'assistant', content: '' }, { content: 'tok0 ' }, { content: 'tok1 ' }, { content: 'tok2 ' }, {}]);
    expect(chunks.at(-1).choices[0].finish_reason).toBe('stop');
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === 'm' && c.id === chunks[0].id)).toBe(true);
    expect(at[0]).toBeGreaterThanOrEqual(49);
    expect(at[0]).toBeLessThan(110);
    // never early: [DONE] goes with the last token, ttft + 2 gaps = 90 ms after the request arrived
    expect(at.at(-1)!).toBeGreaterThanOrEqual(89);
  });

  it('chat settings from the body; usage when stream_options.include_usage', async () => {
    const body = JSON.stringify({ stream: true, ttft: 10, tokens: 2, gap: 5, stream_options: { include_usage: true } });
    const { events: ev } = await events('/v1/chat/completions', { method: 'POST', body });
    const chunks = ev.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
    expect(chunks.filter((c) => c.choices[0]?.delta?.content)).toHaveLength(2);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { completion_tokens: 2 } });
  });

  it('chat without stream: one JSON completion after ttft + (tokens-1)·gap; invalid JSON is a 400', async () => {
    const r = await call('/v1/chat/completions?ttft=30&tokens=3&gap=10', { method: 'POST', body: '{"model":"m"}' });
    expect(r.ms).toBeGreaterThanOrEqual(49);
    expect(r.json()).toMatchObject({ object: 'chat.completion', model: 'm', choices: [{ message: { role: 'assistant', content: 'tok0 tok1 tok2 ' }, finish_reason: 'stop' }], usage: { completion_tokens: 3 } });
    const bad = await call('/v1/chat/completions', { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
  });

  it('close() ends streams and delays in progress', async () => {
    const other = await startDemoTarget({ port: 0 });
    const pending = request(`${other.url}/sse?ttft=10&n=1000&gap=50`, { dispatcher: agent }).then(async (r) => {
      for await (const _ of r.body) {
        // drain
      }
    });
    const slow = request(`${other.url}/delay/10000`, { dispatcher: agent }).catch((e: Error) => e);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    await other.close();
    await Promise.allSettled([pending, slow]);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});

describe('demo target: rate limit', () => {
  it('/ratelimit?rps=N: N requests pass, then 429 with Retry-After; tokens come back at N/s', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await call('/ratelimit?rps=5')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const limited = await call('/ratelimit?rps=5');
    expect(limited.headers['retry-after']).toBe('1');
    expect(limited.json().error).toMatch(/more than 5 requests\/s/);
    await new Promise((r) => setTimeout(r, 250));
    expect((await call('/ratelimit?rps=5')).status).toBe(200);
    // another rate is another bucket
    expect((await call('/ratelimit?rps=2')).status).toBe(200);
  });
});

describe('DEMO_TARGET_ENDPOINTS', () => {
  /** A concrete request for each documented path pattern. */
  const concrete: Record<string, [string, string]> = {
    '/': ['GET', '/'],
    '/get': ['GET', '/get'],
    '/html': ['GET', '/html'],
    '/forms/post': ['GET', '/forms/post'],
    '/links/:n/:offset': ['GET', '/links/3/1'],
    '/post /put /patch /delete': ['POST', '/post'],
    '/anything[/…]': ['GET', '/anything/x'],
    '/status/:code': ['GET', '/status/201'],
    '/delay/:ms': ['GET', '/delay/1'],
    '/bytes/:n': ['GET', '/bytes/5'],
    '/json': ['GET', '/json'],
    '/headers': ['GET', '/headers'],
    '/cookies/set?k=v': ['GET', '/cookies/set?k=v'],
    '/cookies': ['GET', '/cookies'],
    '/cookies/delete?k': ['GET', '/cookies/delete?k'],
    '/digest-auth/:qop/:user/:pass[/:algo]': ['GET', '/digest-auth/auth/u/p'],
    '/login': ['POST', '/login'],
    '/redirect/:n': ['GET', '/redirect/2'],
    '/redirect-to?url=&status_code=': ['GET', '/redirect-to?url=/get'],
    '/basic-auth/:user/:pass': ['GET', '/basic-auth/a/b'],
    '/gzip /deflate /brotli': ['GET', '/gzip'],
    '/stream/:n': ['GET', '/stream/2'],
    '/sse?ttft=&n=&gap=': ['GET', '/sse?ttft=1&n=1'],
    '/v1/chat/completions': ['POST', '/v1/chat/completions?ttft=1&tokens=1'],
    '/ratelimit?rps=N': ['GET', '/ratelimit?rps=1000'],
    '/capacity?workers=&ms=&queue=': ['GET', '/capacity?workers=2&ms=5'],
    '/leak?kb=N': ['GET', '/leak?kb=1'],
    '/noleak?kb=N': ['GET', '/noleak?kb=1'],
  };

  it('lists every endpoint, each with a one-line description, and each answers', async () => {
    expect(DEMO_TARGET_ENDPOINTS.map((e) => e.path).sort()).toEqual(Object.keys(concrete).sort());
    for (const e of DEMO_TARGET_ENDPOINTS) {
      expect(e.description).not.toMatch(/\n/);
      const [method, path] = concrete[e.path]!;
      const body = path === '/login' ? JSON.stringify({ username: 'u', password: 'p' }) : method === 'POST' ? '{}' : undefined;
      const r = await call(path, { method, body, headers: body === undefined ? {} : { 'content-type': 'application/json' } });
      expect([200, 201, 302, 401], `${e.path} → ${r.status}`).toContain(r.status);
    }
  });
});

describe('demo target: uploads, compressed bodies, cookies, digest auth, login', () => {
  it('/post parses multipart/form-data: fields in form, files in files', async () => {
    const fd = new FormData();
    fd.append('title', 'report');
    fd.append('upload', new Blob(['hello file'], { type: 'text/plain' }), 'a.txt');
    const body = new Response(fd);
    const r = await call('/post', { method: 'POST', headers: { 'content-type': body.headers.get('content-type')! }, body: Buffer.from(await body.arrayBuffer()) });
    expect(r.status).toBe(200);
    expect(r.json().form).toEqual({ title: 'report' });
    expect(r.json().files).toEqual({ upload: 'hello file' });
    const bad = await call('/post', { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'junk' });
    expect(bad.status).toBe(400);
  });

  it('/post decodes gzip, deflate and br request bodies (Content-Encoding); corrupt ones are a 400', async () => {
    const { brotliCompressSync, deflateSync, gzipSync } = await import('node:zlib');
    for (const [enc, z] of [['gzip', gzipSync], ['deflate', deflateSync], ['br', brotliCompressSync]] as const) {
      const r = await call('/post', { method: 'POST', headers: { 'content-type': 'application/json', 'content-encoding': enc }, body: z(Buffer.from('{"a":1}')) });
      expect(r.json().json).toEqual({ a: 1 });
    }
    expect((await call('/post', { method: 'POST', headers: { 'content-encoding': 'gzip' }, body: 'not gzip' })).status).toBe(400);
  });

  it('/cookies/delete expires the named cookies', async () => {
    const r = await call('/cookies/delete?a&b');
    expect(r.status).toBe(302);
    expect(r.headers['set-cookie']).toEqual(['a=; Path=/; Max-Age=0', 'b=; Path=/; Max-Age=0']);
  });

  it('/digest-auth: a 401 challenge, then 200 for a correct answer (MD5 and SHA-256, auth and auth-int)', async () => {
    const { digestAuthorization, parseDigestChallenge } = await import('../protocols/http/digest-auth.js');
    for (const path of ['/digest-auth/auth/alice/s3cret', '/digest-auth/auth/alice/s3cret/SHA-256', '/digest-auth/auth-int/alice/s3cret/MD5']) {
      const first = await call(path);
      expect(first.status).toBe(401);
      const ch = parseDigestChallenge(first.headers['www-authenticate'] as string)!;
      expect(ch.algorithm).toBe(path.endsWith('SHA-256') ? 'SHA-256' : 'MD5');
      const ok = await call(path, { headers: { authorization: digestAuthorization(ch, { method: 'GET', uri: path, username: 'alice', password: 's3cret' }) } });
      expect(ok.status, path).toBe(200);
      expect(ok.json()).toEqual({ authenticated: true, user: 'alice' });
      const wrong = await call(path, { headers: { authorization: digestAuthorization(ch, { method: 'GET', uri: path, username: 'alice', password: 'nope' }) } });
      expect(wrong.status).toBe(401);
    }
    const forged = parseDigestChallenge('Digest realm="loadts demo", nonce="123.abc", qop="auth"')!;
    const r = await call('/digest-auth/auth/a/b', { headers: { authorization: digestAuthorization(forged, { method: 'GET', uri: '/digest-auth/auth/a/b', username: 'a', password: 'b' }) } });
    expect(r.status).toBe(401);
  });

  it('/login sets a session cookie and returns a token; /me accepts either, else 401', async () => {
    const bad = await call('/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username":"x"}' });
    expect(bad.status).toBe(401);
    expect((await call('/login')).status).toBe(405);
    const r = await call('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=ann&password=pw' });
    expect(r.status).toBe(200);
    const { token, user } = r.json();
    expect(user).toBe('ann');
    expect(r.headers['set-cookie']).toBe(`session=${token}; Path=/; HttpOnly; SameSite=Lax`);
    expect((await call('/me', { headers: { authorization: `Bearer ${token}` } })).json()).toEqual({ user: 'ann', via: 'token' });
    expect((await call('/me', { headers: { cookie: `session=${token}` } })).json()).toEqual({ user: 'ann', via: 'cookie' });
    expect((await call('/me')).status).toBe(401);
  });
});

describe('demo target over TLS', () => {
  it('tls: https on a generated certificate for 127.0.0.1, trusted through `cert`', async () => {
    const t = await startDemoTarget({ tls: true });
    const a = new Agent({ connect: { ca: t.cert } });
    try {
      expect(t.url).toBe(`https://127.0.0.1:${t.port}`);
      const res = await request(`${t.url}/get`, { dispatcher: a });
      expect(res.statusCode).toBe(200);
      expect(((await res.body.json()) as { url: string }).url).toBe('/get');
    } finally {
      await a.close();
      await t.close();
    }
  });

  it('h2: HTTP/2 to clients that offer it (ALPN), HTTP/1.1 to the others', async () => {
    const t = await startDemoTarget({ tls: true, h2: true });
    const h2 = new Agent({ allowH2: true, connect: { ca: t.cert } });
    const h1 = new Agent({ connect: { ca: t.cert } });
    try {
      const r2 = await request(`${t.url}/headers`, { dispatcher: h2 });
      const body = (await r2.body.json()) as { headers: Record<string, string> };
      expect(r2.statusCode).toBe(200);
      expect(Object.keys(body.headers).some((k) => k.startsWith(':'))).toBe(false);
      const { connect } = await import('node:http2');
      const alpn = await new Promise<string | false | undefined>((resolve, reject) => {
        const s = connect(t.url, { ca: t.cert });
        s.on('error', reject);
        s.on('connect', () => {
          resolve(s.alpnProtocol);
          s.close();
        });
      });
      expect(alpn).toBe('h2');
      const r1 = await request(`${t.url}/get`, { dispatcher: h1 });
      expect(r1.statusCode).toBe(200);
      await r1.body.dump();
    } finally {
      await h2.close();
      await h1.close();
      await t.close();
    }
    await expect(startDemoTarget({ h2: true })).rejects.toThrow(/h2 needs tls/);
  });
});
