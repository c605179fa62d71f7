import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';

/** The demo target's endpoints, for help text and docs. */
export const DEMO_TARGET_ENDPOINTS: ReadonlyArray<{ path: string; description: string }> = [
  { path: '/', description: 'a small text page' },
  { path: '/get', description: 'JSON echo of method, url, query args and headers' },
  { path: '/post /put /patch /delete', description: 'JSON echo including the body (json, form or text)' },
  { path: '/anything', description: 'JSON echo for any method' },
  { path: '/status/:code', description: 'responds with that status code' },
  { path: '/delay/:ms', description: 'responds after ms milliseconds (max 60000)' },
  { path: '/bytes/:n', description: 'n deterministic bytes (max 100 MB)' },
  { path: '/json', description: 'a fixed JSON document' },
  { path: '/headers', description: 'the request headers as JSON' },
  { path: '/cookies/set?k=v', description: 'sets cookies, then redirects to /cookies' },
  { path: '/cookies', description: 'the cookies the client sent, as JSON' },
  { path: '/redirect/:n', description: 'n 302 redirects, then /get' },
  { path: '/basic-auth/:user/:pass', description: '200 with matching Basic auth, else 401' },
  { path: '/gzip', description: 'a gzip-encoded JSON body' },
  { path: '/stream/:n', description: 'n JSON lines, chunked' },
  { path: '/sse?ttft=&n=&gap=', description: 'server-sent events: first after ttft ms, then n-1 more every gap ms' },
  { path: '/v1/chat/completions', description: 'OpenAI-compatible chat completions (streaming with stream:true); ?ttft=&tokens=&gap=' },
  { path: '/ratelimit?rps=N', description: '429 with Retry-After when a client exceeds N requests/s' },
];

const JSON_DOC = JSON.stringify({
  slideshow: {
    author: 'loadts',
    title: 'Sample Slide Show',
    slides: [
      { title: 'Wake up to loadts', type: 'all' },
      { title: 'Overview', type: 'all', items: ['Why load test', 'Who runs the tests'] },
    ],
  },
});

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headerObject(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) out[req.rawHeaders[i]!] = req.rawHeaders[i + 1]!;
  return out;
}

async function echo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const raw = await readBody(req);
  const text = raw.toString('utf8');
  const type = req.headers['content-type'] ?? '';
  let json: unknown = null;
  let form: Record<string, string> = {};
  if (type.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  } else if (type.includes('x-www-form-urlencoded')) form = Object.fromEntries(new URLSearchParams(text));
  sendJson(res, 200, {
    method: req.method,
    url: url.pathname + url.search,
    args: Object.fromEntries(url.searchParams),
    headers: headerObject(req),
    data: text,
    json,
    form,
    origin: req.socket.remoteAddress,
  });
}

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function int(text: string | null | undefined, dflt: number, max: number): number {
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), max) : dflt;
}

/** Server-sent events with a known schedule: the first after `ttft` ms, then one every `gap` ms. */
function sse(req: IncomingMessage, res: ServerResponse, url: URL): void {
  const ttft = int(url.searchParams.get('ttft'), 100, 60_000);
  const n = int(url.searchParams.get('n'), 5, 100_000);
  const gap = int(url.searchParams.get('gap'), 20, 60_000);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.flushHeaders();
  let sent = 0;
  let timer: NodeJS.Timeout;
  const start = performance.now();
  const next = () => {
    if (sent >= n) return res.end();
    res.write(`id: ${sent}\nevent: message\ndata: ${JSON.stringify({ i: sent })}\n\n`);
    sent++;
    // schedule from the start, so gaps do not accumulate timer drift
    timer = setTimeout(next, Math.max(start + ttft + sent * gap - performance.now(), 0));
  };
  timer = setTimeout(next, ttft);
  req.on('close', () => clearTimeout(timer));
}

/** An OpenAI-compatible chat completions mock. */
async function chat(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const raw = (await readBody(req)).toString('utf8');
  let body: { stream?: boolean; model?: string; max_tokens?: number } = {};
  try {
    body = raw ? (JSON.parse(raw) as typeof body) : {};
  } catch {
    return sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
  }
  const ttft = int(url.searchParams.get('ttft'), 100, 60_000);
  const tokens = int(url.searchParams.get('tokens') ?? String(body.max_tokens ?? ''), 20, 100_000);
  const gap = int(url.searchParams.get('gap'), 20, 60_000);
  const model = body.model ?? 'loadts-mock';
  const id = `chatcmpl-${Math.random().toString(36).slice(2, 10)}`;
  const created = Math.floor(Date.now() / 1000);
  const word = (i: number) => `tok${i} `;
  if (!body.stream) {
    await new Promise((r) => setTimeout(r, ttft + Math.max(tokens - 1, 0) * gap));
    const content = Array.from({ length: tokens }, (_, i) => word(i)).join('');
    return sendJson(res, 200, {
      id,
      object: 'chat.completion',
      created,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens },
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  // The first chunk carries the role and no text, as OpenAI's API sends it.
  res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}\n\n`);
  const start = performance.now();
  let i = 0;
  let timer: NodeJS.Timeout;
  const next = () => {
    if (i >= tokens) {
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}\n\n`);
      res.write('data: [DONE]\n\n');
      return res.end();
    }
    res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta: { content: word(i) }, finish_reason: null }] })}\n\n`);
    i++;
    timer = setTimeout(next, i >= tokens ? 0 : Math.max(start + ttft + i * gap - performance.now(), 0));
  };
  timer = setTimeout(next, ttft);
  req.on('close', () => clearTimeout(timer));
}

/**
 * Starts the embedded demo target: a deterministic httpbin-like server on loopback, used by
 * `loadts run` when no BASE_URL is given, by `loadts serve`, and by the tests.
 */
export async function startDemoTarget(opts: { port?: number; host?: string } = {}): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const windows = new Map<string, { second: number; count: number }>();
  const bytesCache = new Map<number, Buffer>();
  const gzipped = gzipSync(JSON_DOC);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const path = url.pathname;
    const seg = path.split('/');
    const handle = async () => {
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 3 });
        return res.end('ok\n');
      }
      if (path === '/get' || path === '/anything' || ['/post', '/put', '/patch', '/delete'].includes(path)) {
        const want = path.slice(1).toUpperCase();
        if (path !== '/anything' && req.method !== want && !(want === 'GET' && req.method === 'HEAD')) {
          return sendJson(res, 405, { error: `${path} expects ${want}` });
        }
        return echo(req, res, url);
      }
      if (seg[1] === 'status' && seg[2]) {
        const code = int(seg[2], 200, 599);
        res.writeHead(code < 100 ? 400 : code, { 'content-type': 'text/plain' });
        return res.end();
      }
      if (seg[1] === 'delay' && seg[2] !== undefined) {
        const ms = int(seg[2], 0, 60_000);
        await readBody(req);
        const t = setTimeout(() => sendJson(res, 200, { delay_ms: ms }), ms);
        req.on('close', () => clearTimeout(t));
        return;
      }
      if (seg[1] === 'bytes' && seg[2] !== undefined) {
        const n = int(seg[2], 0, 100 * 1024 * 1024);
        let buf = bytesCache.get(n);
        if (buf === undefined) {
          buf = Buffer.alloc(n);
          for (let i = 0; i < n; i++) buf[i] = 97 + (i % 26);
          if (n <= 1 << 20 && bytesCache.size < 64) bytesCache.set(n, buf);
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
        return res.end(buf);
      }
      if (path === '/json') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(JSON_DOC) });
        return res.end(JSON_DOC);
      }
      if (path === '/headers') return sendJson(res, 200, { headers: headerObject(req) });
      if (path === '/cookies/set') {
        res.writeHead(302, { location: '/cookies', 'set-cookie': [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`) });
        return res.end();
      }
      if (path === '/cookies') return sendJson(res, 200, { cookies: parseCookies(req.headers.cookie) });
      if (seg[1] === 'redirect' && seg[2] !== undefined) {
        const n = int(seg[2], 1, 100);
        res.writeHead(302, { location: n <= 1 ? '/get' : `/redirect/${n - 1}`, 'content-length': 0 });
        return res.end();
      }
      if (seg[1] === 'basic-auth' && seg[2] && seg[3]) {
        const want = `Basic ${Buffer.from(`${seg[2]}:${seg[3]}`).toString('base64')}`;
        if (req.headers.authorization === want) return sendJson(res, 200, { authenticated: true, user: seg[2] });
        res.writeHead(401, { 'www-authenticate': 'Basic realm="loadts"' });
        return res.end();
      }
      if (path === '/gzip') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': gzipped.length });
        return res.end(gzipped);
      }
      if (seg[1] === 'stream' && seg[2] !== undefined) {
        const n = int(seg[2], 1, 10_000);
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < n; i++) res.write(`${JSON.stringify({ id: i, url: path })}\n`);
        return res.end();
      }
      if (path === '/sse') return sse(req, res, url);
      if (path === '/v1/chat/completions') return chat(req, res, url);
      if (path === '/ratelimit') {
        const rps = int(url.searchParams.get('rps'), 10, 1e9);
        const key = req.socket.remoteAddress ?? '';
        const second = Math.floor(performance.now() / 1000);
        const w = windows.get(key);
        if (w === undefined || w.second !== second) windows.set(key, { second, count: 1 });
        else w.count++;
        if ((windows.get(key)?.count ?? 0) > rps) {
          res.writeHead(429, { 'retry-after': '1', 'content-type': 'application/json' });
          return res.end('{"error":"rate limited"}');
        }
        return sendJson(res, 200, { ok: true });
      }
      sendJson(res, 404, { error: `no such endpoint: ${path}` });
    };
    handle().catch(() => {
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', resolve);
  });
  const a = server.address() as AddressInfo;
  const host = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `http://${host}:${a.port}`,
    port: a.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
