import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSecureServer, type Http2SecureServer, type ServerHttp2Session } from 'node:http2';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { decodeContent } from '../protocols/http/body.js';
import { digestResponse, parseDigestAuthorization, type DigestAlgorithm } from '../protocols/http/digest-auth.js';
import { selfSignedCert, type SelfSignedCert } from './self-signed-cert.js';
import { htmlPage } from './html-pages.js';
import { fieldsObject, headerObject, parseCookies } from './httpbin-forms.js';
import { LabEndpoints } from './lab-endpoints.js';

/** The demo target's endpoints, for help text and docs. */
export const DEMO_TARGET_ENDPOINTS: ReadonlyArray<{ path: string; description: string }> = [
  { path: '/', description: "'ok' as text (3 bytes): the cheapest request" },
  { path: '/get', description: 'JSON echo of method, url, query args and headers' },
  { path: '/post /put /patch /delete', description: 'JSON echo including the body (data, json, form, files); gzip/deflate/br bodies decoded' },
  { path: '/anything[/…]', description: 'JSON echo for any method' },
  { path: '/status/:code', description: 'responds with that status code (200-599)' },
  { path: '/delay/:ms', description: 'responds after ms milliseconds (max 60000)' },
  { path: '/bytes/:n', description: 'n bytes of a-z repeated (max 100 MB)' },
  { path: '/json', description: 'a fixed JSON document' },
  { path: '/headers', description: 'the request headers as JSON' },
  { path: '/cookies/set?k=v', description: 'sets cookies, then redirects (302) to /cookies' },
  { path: '/cookies/delete?k', description: 'expires those cookies, then redirects (302) to /cookies' },
  { path: '/cookies', description: 'the cookies the client sent, as JSON' },
  { path: '/redirect/:n', description: 'n chained 302 redirects, then /get' },
  { path: '/redirect-to?url=&status_code=', description: 'one redirect to url (302 or the given 3xx)' },
  { path: '/basic-auth/:user/:pass', description: '200 with matching Basic auth, else 401' },
  { path: '/digest-auth/:qop/:user/:pass[/:algo]', description: '200 with matching Digest auth (qop auth|auth-int; MD5|SHA-256), else a 401 challenge' },
  { path: '/login', description: 'POST user/password (JSON or form): a session cookie and a bearer token; /me checks either' },
  { path: '/gzip /deflate /brotli', description: 'the JSON document, compressed' },
  { path: '/stream/:n', description: 'n JSON lines, chunked' },
  { path: '/sse?ttft=&n=&gap=', description: 'server-sent events: the first after ttft ms, then n-1 more every gap ms' },
  { path: '/v1/chat/completions', description: 'OpenAI-compatible chat mock (stream:true for SSE); ttft, tokens, gap from query or body; rps=N: 429 + Retry-After past N/s' },
  { path: '/html', description: 'an HTML page with a title, links, a table and a login form (for k6/html)' },
  { path: '/forms/post', description: "httpbin's pizza order form (posts to /post)" },
  { path: '/links/:n/:offset', description: 'an HTML page of n links to its siblings (httpbin)' },
  { path: '/ratelimit?rps=N', description: '429 with Retry-After once a client address exceeds N requests/s' },
  { path: '/capacity?workers=&ms=&queue=', description: 'a server of known capacity: workers × 1000/ms requests/s, FIFO queue (503 when full)' },
  { path: '/leak?kb=N', description: 'keeps N KiB per request (a memory leak on purpose)' },
  { path: '/noleak?kb=N', description: 'allocates N KiB per request and frees it (no leak)' },
];

/** Upper bounds, so that one request cannot tie the target up. */
const MAX_DELAY_MS = 60_000;
const MAX_BYTES = 100 * 1024 * 1024;
const MAX_REDIRECTS = 100;
const MAX_STREAM_LINES = 100_000;
const MAX_EVENTS = 100_000;

const ROOT_BODY = Buffer.from('ok\n');
const ROOT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'content-length': ROOT_BODY.length };

const JSON_DOC = Buffer.from(
  JSON.stringify({
    slideshow: {
      author: 'loadts',
      date: '2024-01-01',
      title: 'Sample Slide Show',
      slides: [
        { title: 'Wake up to loadts', type: 'all' },
        { title: 'Overview', type: 'all', items: ['Why load test', 'Who runs the tests'] },
      ],
    },
  }),
);
const COMPRESSED: Record<string, { encoding: string; body: Buffer }> = {
  gzip: { encoding: 'gzip', body: gzipSync(JSON_DOC) },
  deflate: { encoding: 'deflate', body: deflateSync(JSON_DOC) },
  brotli: { encoding: 'br', body: brotliCompressSync(JSON_DOC) },
};

type Headers = Record<string, string | number | string[]>;

function sendJson(res: ServerResponse, status: number, value: unknown, extra?: Headers): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text, or as a base64 data URL when it is not UTF-8 (as httpbin does). */
function bodyText(raw: Buffer, type: string): string {
  if (raw.length === 0) return '';
  if (!type.startsWith('application/octet-stream')) {
    try {
      return utf8.decode(raw);
    } catch {
      // binary: fall through
    }
  }
  return `data:application/octet-stream;base64,${raw.toString('base64')}`;
}

async function echo(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  let raw = await readBody(req);
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') {
    try {
      raw = decodeContent(raw, encoding);
    } catch {
      return sendJson(res, 400, { error: `cannot decode the request body (Content-Encoding: ${encoding})` });
    }
  }
  const type = req.headers['content-type'] ?? '';
  const text = raw.toString('utf8');
  let json: unknown = null;
  let form: Record<string, string | string[]> = {};
  const files: Record<string, string> = {};
  if (type.includes('json')) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  } else if (type.includes('x-www-form-urlencoded')) form = fieldsObject(new URLSearchParams(text));
  else if (type.includes('multipart/form-data')) {
    let parsed: FormData;
    try {
      parsed = await new Response(raw, { headers: { 'content-type': type } }).formData();
    } catch {
      return sendJson(res, 400, { error: 'malformed multipart/form-data body' });
    }
    const fields: Array<[string, string]> = [];
    for (const [name, value] of parsed) {
      if (typeof value === 'string') fields.push([name, value]);
      else files[name] = bodyText(Buffer.from(await value.arrayBuffer()), value.type);
    }
    form = fieldsObject(fields);
  }
  sendJson(res, 200, {
    method: req.method,
    url: url.pathname + url.search,
    args: fieldsObject(url.searchParams),
    headers: headerObject(req),
    data: bodyText(raw, type),
    size: raw.length,
    json,
    form,
    files,
    origin: req.socket.remoteAddress,
  });
}

/** A non-negative integer from text, capped at `max`; `dflt` when absent or not a number. */
function int(text: string | null | undefined, dflt: number, max: number): number {
  if (text === null || text === undefined || text === '') return dflt;
  const n = Number(text);
  return Number.isFinite(n) && n >= 0 ? Math.min(Math.floor(n), max) : dflt;
}

/**
 * Runs `fn` at `dueMs` (performance.now() time), never before. Node's timers run on the loop's
 * millisecond clock: a setTimeout can fire up to a millisecond early or late against
 * performance.now(). While few responses are scheduled, the timer is armed for a millisecond or
 * two before the due time and the rest is waited out in setImmediate turns (the loop keeps serving
 * I/O meanwhile): /delay/50 then answers at 50.00 ms rather than 50.3-51 ms, for about 2 ms of CPU
 * per response. Past SPIN_MAX_PENDING scheduled responses the target is under load, spinning would
 * cost it a whole core, and responses go out on the timer alone (never early, up to ~1 ms late).
 * One pending timer per response; cleared when the response closes (client gone, or the target
 * shutting down).
 */
class Schedule {
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #closed = false;
  #pending = false;

  constructor(res: ServerResponse) {
    res.once('close', () => {
      this.#closed = true;
      this.#settle();
      clearTimeout(this.#timer);
      clearImmediate(this.#immediate);
    });
  }

  at(dueMs: number, fn: () => void): void {
    if (!this.#pending) {
      this.#pending = true;
      scheduledResponses++;
    }
    const check = (): void => {
      if (this.#closed) return;
      const leftMs = dueMs - performance.now();
      if (leftMs <= 0) {
        this.#settle();
        fn();
      } else if (scheduledResponses > SPIN_MAX_PENDING) this.#timer = setTimeout(check, Math.ceil(leftMs));
      else if (leftMs < SPIN_MS) this.#immediate = setImmediate(check);
      else this.#timer = setTimeout(check, Math.floor(leftMs - SPIN_MS + 1)); // fires ≥ 1 ms before due: never late
    };
    check();
  }

  #settle(): void {
    if (!this.#pending) return;
    this.#pending = false;
    scheduledResponses--;
  }
}

/** How close to its due time a scheduled response stops sleeping and polls (see Schedule). */
const SPIN_MS = 2.5;
/** Above this many scheduled responses at once, none polls (see Schedule). */
const SPIN_MAX_PENDING = 8;
/** Responses waiting on a Schedule, in this process. */
let scheduledResponses = 0;

/** Server-sent events with a known schedule: the first after `ttft` ms, then one every `gap` ms. */
function sse(res: ServerResponse, url: URL): void {
  const ttft = int(url.searchParams.get('ttft'), 100, MAX_DELAY_MS);
  const n = int(url.searchParams.get('n'), 5, MAX_EVENTS);
  const gap = int(url.searchParams.get('gap'), 20, MAX_DELAY_MS);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  const schedule = new Schedule(res);
  const start = performance.now();
  let sent = 0;
  // Each event is scheduled from the start, so that timer lateness does not accumulate.
  const next = (): void => {
    res.write(`id: ${sent}\nevent: message\ndata: ${JSON.stringify({ i: sent })}\n\n`);
    sent++;
    if (sent >= n) res.end();
    else schedule.at(start + ttft + sent * gap, next);
  };
  if (n === 0) schedule.at(start + ttft, () => res.end());
  else schedule.at(start + ttft, next);
}

let chatSeq = 0;

/**
 * An OpenAI-compatible chat completions mock. ttft (ms to the first token), tokens and gap (ms
 * between tokens) come from the query or the JSON body (`ttft`, `tokens` or `max_tokens`, `gap`).
 * Streaming sends the role chunk with the first token at ttft, as the real API does, then one chunk
 * per token, a finish chunk, a usage chunk when `stream_options.include_usage`, and `[DONE]`.
 */
async function chat(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const start = performance.now(); // ttft counts from the request's arrival, as a real API's would
  const raw = (await readBody(req)).toString('utf8');
  let body: { stream?: boolean; model?: string; max_tokens?: number; ttft?: number; tokens?: number; gap?: number; stream_options?: { include_usage?: boolean } } = {};
  try {
    body = raw ? (JSON.parse(raw) as typeof body) : {};
    if (body === null || typeof body !== 'object') throw new Error('not an object');
  } catch {
    sendJson(res, 400, { error: { message: 'invalid JSON body', type: 'invalid_request_error' } });
    return;
  }
  const q = url.searchParams;
  const ttft = int(q.get('ttft') ?? String(body.ttft ?? ''), 100, MAX_DELAY_MS);
  const tokens = int(q.get('tokens') ?? String(body.tokens ?? body.max_tokens ?? ''), 20, MAX_EVENTS);
  const gap = int(q.get('gap') ?? String(body.gap ?? ''), 20, MAX_DELAY_MS);
  const model = typeof body.model === 'string' ? body.model : 'loadts-mock';
  const id = `chatcmpl-loadts-${++chatSeq}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = { prompt_tokens: 10, completion_tokens: tokens, total_tokens: 10 + tokens };
  const word = (i: number): string => `tok${i} `;
  const schedule = new Schedule(res);
  if (body.stream !== true) {
    schedule.at(start + ttft + Math.max(tokens - 1, 0) * gap, () => {
      let content = '';
      for (let i = 0; i < tokens; i++) content += word(i);
      sendJson(res, 200, { id, object: 'chat.completion', created, model, choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }], usage });
    });
    return;
  }
  const chunk = (delta: object, finish: string | null): string =>
    `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.flushHeaders();
  let i = 0;
  const next = (): void => {
    if (i === 0) res.write(chunk({ role: 'assistant', content: '' }, null));
    if (i < tokens) {
      res.write(chunk({ content: word(i) }, null));
      i++;
    }
    if (i < tokens) {
      schedule.at(start + ttft + i * gap, next);
      return;
    }
    res.write(chunk({}, 'stop'));
    if (body.stream_options?.include_usage === true) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`);
    res.end('data: [DONE]\n\n');
  };
  schedule.at(start + ttft, next);
}

/** Signs digest nonces so that any nonce this target issued verifies without server-side state. */
const NONCE_KEY = randomBytes(32);
const DIGEST_REALM = 'loadts demo';

function nonce(): string {
  const stamp = Date.now().toString(36);
  return `${stamp}.${createHmac('sha256', NONCE_KEY).update(stamp).digest('base64url')}`;
}

function nonceValid(n: string | undefined): boolean {
  if (n === undefined) return false;
  const [stamp, mac] = n.split('.');
  if (stamp === undefined || mac === undefined) return false;
  const want = createHmac('sha256', NONCE_KEY).update(stamp).digest();
  const got = Buffer.from(mac, 'base64url');
  return got.length === want.length && timingSafeEqual(got, want);
}

/** httpbin's /digest-auth/:qop/:user/:pass[/:algorithm]: 200 when the Authorization answers a challenge of ours. */
async function digestAuth(req: IncomingMessage, res: ServerResponse, parts: string[]): Promise<void> {
  const [qopParam, user, pass, algoParam] = parts as [string, string, string, string | undefined];
  const algorithm: DigestAlgorithm = algoParam?.toUpperCase() === 'SHA-256' ? 'SHA-256' : 'MD5';
  const qop = qopParam === 'auth-int' ? 'auth-int' : 'auth';
  const body = await readBody(req);
  const a = parseDigestAuthorization(req.headers.authorization);
  if (a !== undefined && a.username === user && a.realm === DIGEST_REALM && a.uri === req.url && nonceValid(a.nonce) && (a.algorithm ?? 'MD5').toUpperCase() === algorithm) {
    const want = digestResponse({ realm: DIGEST_REALM, nonce: a.nonce!, algorithm }, { method: req.method ?? 'GET', uri: a.uri!, username: user, password: pass, body }, a.qop ?? '', a.cnonce ?? '', a.nc ?? '');
    if (a.response === want) return sendJson(res, 200, { authenticated: true, user });
  }
  status(res, 401, { 'www-authenticate': `Digest realm="${DIGEST_REALM}", qop="${qop}", nonce="${nonce()}", opaque="${randomBytes(8).toString('hex')}", algorithm=${algorithm}` });
}

/** Sessions and tokens of /login, so that /me can check either (bounded: a demo, not a store). */
class Sessions {
  readonly #users = new Map<string, string>();

  create(user: string): string {
    if (this.#users.size >= 100_000) this.#users.clear();
    const id = randomBytes(12).toString('hex');
    this.#users.set(id, user);
    return id;
  }

  user(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.#users.get(id);
  }

  clear(): void {
    this.#users.clear();
  }
}

/** POST /login with { username, password } (JSON or form): any non-empty pair logs in. */
async function login(req: IncomingMessage, res: ServerResponse, sessions: Sessions): Promise<void> {
  if (req.method !== 'POST') return sendJson(res, 405, { error: '/login expects POST' }, { allow: 'POST' });
  const text = (await readBody(req)).toString('utf8');
  let creds: { username?: unknown; password?: unknown } = {};
  try {
    creds = (req.headers['content-type'] ?? '').includes('json') ? (JSON.parse(text) as typeof creds) : Object.fromEntries(new URLSearchParams(text));
  } catch {
    return sendJson(res, 400, { error: 'invalid JSON body' });
  }
  if (typeof creds.username !== 'string' || creds.username === '' || typeof creds.password !== 'string' || creds.password === '') {
    return sendJson(res, 401, { error: 'username and password required' });
  }
  const id = sessions.create(creds.username);
  sendJson(res, 200, { token: id, user: creds.username }, { 'set-cookie': `session=${id}; Path=/; HttpOnly; SameSite=Lax` });
}

/** GET /me: the user of a session cookie or a bearer token from /login, else 401. */
function me(req: IncomingMessage, res: ServerResponse, sessions: Sessions): void {
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') === true ? auth.slice(7) : undefined;
  const user = sessions.user(bearer) ?? sessions.user(parseCookies(req.headers.cookie).session);
  if (user === undefined) return sendJson(res, 401, { error: 'not logged in' }, { 'www-authenticate': 'Bearer realm="loadts"' });
  sendJson(res, 200, { user, via: sessions.user(bearer) !== undefined ? 'token' : 'cookie' });
}

/**
 * Token buckets per client address and rate: capacity N, refilled at N per second. A burst of
 * N+k requests gets exactly k 429s, whatever the phase of the clock.
 */
class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; atMs: number }>();

  /** Remaining tokens after this request, or -1 when it is over the limit. */
  take(key: string, rps: number): number {
    const now = performance.now();
    let b = this.#buckets.get(key);
    if (b === undefined) {
      if (this.#buckets.size >= 10_000) this.#buckets.clear();
      b = { tokens: rps, atMs: now };
      this.#buckets.set(key, b);
    } else {
      b.tokens = Math.min(rps, b.tokens + ((now - b.atMs) * rps) / 1000);
      b.atMs = now;
    }
    if (b.tokens < 1) return -1;
    b.tokens -= 1;
    return Math.floor(b.tokens);
  }

  clear(): void {
    this.#buckets.clear();
  }
}

function status(res: ServerResponse, code: number, extra?: Headers): void {
  res.writeHead(code, { 'content-length': 0, ...extra });
  res.end();
}

/** Routes one request. Returns a promise only for endpoints that read the body. */
function route(req: IncomingMessage, res: ServerResponse, limiter: RateLimiter, bytesCache: Map<number, Buffer>, sessions: Sessions, lab: LabEndpoints): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://target');
  const path = url.pathname;
  const slash = path.indexOf('/', 1);
  const head = slash < 0 ? path : path.slice(0, slash);
  const arg = slash < 0 ? undefined : path.slice(slash + 1);
  switch (head) {
    case '/html':
    case '/forms':
    case '/links':
      if (htmlPage(res, path)) return;
      break;
    case '/get':
    case '/post':
    case '/put':
    case '/patch':
    case '/delete': {
      const want = head.slice(1).toUpperCase();
      if (arg !== undefined) break;
      if (req.method !== want && !(want === 'GET' && req.method === 'HEAD')) return sendJson(res, 405, { error: `${path} expects ${want}, got ${req.method}` }, { allow: want });
      return echo(req, res, url);
    }
    case '/anything':
      return echo(req, res, url);
    case '/status': {
      const code = Number(arg);
      if (!Number.isInteger(code) || code < 200 || code > 599) return sendJson(res, 400, { error: `invalid status ${JSON.stringify(arg)}: use 200-599` });
      const extra: Headers = code >= 300 && code < 400 ? { location: '/get' } : {};
      if (code === 401) extra['www-authenticate'] = 'Basic realm="loadts"';
      return status(res, code, extra);
    }
    case '/delay': {
      if (arg === undefined || arg.includes('/')) break;
      const ms = int(arg, 0, MAX_DELAY_MS);
      req.resume(); // discard any body
      new Schedule(res).at(performance.now() + ms, () => sendJson(res, 200, { delay_ms: ms }));
      return;
    }
    case '/bytes': {
      if (arg === undefined) break;
      const n = int(arg, 0, MAX_BYTES);
      let buf = bytesCache.get(n);
      if (buf === undefined) {
        buf = Buffer.alloc(n, 'abcdefghijklmnopqrstuvwxyz');
        if (n <= 1 << 20 && bytesCache.size < 64) bytesCache.set(n, buf);
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': n });
      res.end(buf);
      return;
    }
    case '/json':
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': JSON_DOC.length });
      res.end(JSON_DOC);
      return;
    case '/gzip':
    case '/deflate':
    case '/brotli': {
      const c = COMPRESSED[head.slice(1)]!;
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': c.encoding, 'content-length': c.body.length });
      res.end(c.body);
      return;
    }
    case '/headers':
      return sendJson(res, 200, { headers: headerObject(req) });
    case '/cookies':
      if (arg === 'set') {
        const cookies = [...url.searchParams].map(([k, v]) => `${k}=${v}; Path=/`);
        return status(res, 302, cookies.length > 0 ? { location: '/cookies', 'set-cookie': cookies } : { location: '/cookies' });
      }
      if (arg === 'delete') {
        const cookies = [...url.searchParams.keys()].map((k) => `${k}=; Path=/; Max-Age=0`);
        return status(res, 302, cookies.length > 0 ? { location: '/cookies', 'set-cookie': cookies } : { location: '/cookies' });
      }
      if (arg !== undefined) break;
      return sendJson(res, 200, { cookies: parseCookies(req.headers.cookie) });
    case '/redirect': {
      if (arg === undefined) break;
      const n = int(arg, 1, MAX_REDIRECTS);
      return status(res, 302, { location: n <= 1 ? '/get' : `/redirect/${n - 1}` });
    }
    case '/redirect-to': {
      const to = url.searchParams.get('url');
      const code = int(url.searchParams.get('status_code'), 302, 399);
      if (to === null) return sendJson(res, 400, { error: '/redirect-to needs ?url=' });
      return status(res, code >= 300 ? code : 302, { location: to });
    }
    case '/basic-auth': {
      const parts = arg?.split('/');
      if (parts?.length !== 2) break;
      const want = `Basic ${Buffer.from(`${parts[0]}:${parts[1]}`).toString('base64')}`;
      if (req.headers.authorization === want) return sendJson(res, 200, { authenticated: true, user: parts[0] });
      return status(res, 401, { 'www-authenticate': 'Basic realm="loadts"' });
    }
    case '/digest-auth': {
      const parts = arg?.split('/');
      if (parts === undefined || parts.length < 3 || parts.length > 4) break;
      return digestAuth(req, res, parts);
    }
    case '/login':
      if (arg !== undefined) break;
      return login(req, res, sessions);
    case '/me':
      if (arg !== undefined) break;
      return me(req, res, sessions);
    case '/stream': {
      if (arg === undefined) break;
      const n = int(arg, 1, MAX_STREAM_LINES);
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      for (let i = 0; i < n; i++) res.write(`${JSON.stringify({ id: i, url: path })}\n`);
      res.end();
      return;
    }
    case '/sse':
      return sse(res, url);
    case '/v1':
      if (arg !== 'chat/completions') break;
      if (url.searchParams.has('rps')) {
        // a rate-limited model endpoint: 429 with Retry-After past rps requests per second
        const rps = Math.max(int(url.searchParams.get('rps'), 10, 1e9), 1);
        if (limiter.take(`${req.socket.remoteAddress ?? ''}|chat|${rps}`, rps) < 0) return sendJson(res, 429, { error: { message: `rate limited: more than ${rps} requests/s`, type: 'rate_limit_error' } }, { 'retry-after': 1 });
      }
      return chat(req, res, url);
    case '/capacity':
    case '/leak':
    case '/noleak':
      if (lab.handle(req, res, url)) return;
      break;
    case '/ratelimit': {
      const rps = Math.max(int(url.searchParams.get('rps'), 10, 1e9), 1);
      const left = limiter.take(`${req.socket.remoteAddress ?? ''}|${rps}`, rps);
      if (left < 0) return sendJson(res, 429, { error: `rate limited: more than ${rps} requests/s` }, { 'retry-after': 1, 'x-ratelimit-limit': rps, 'x-ratelimit-remaining': 0 });
      return sendJson(res, 200, { ok: true }, { 'x-ratelimit-limit': rps, 'x-ratelimit-remaining': left });
    }
  }
  sendJson(res, 404, { error: `no such endpoint: ${path} (see \`loadts serve --help\`)` });
}

/** A running demo target. */
export interface DemoTarget {
  /** 'http://127.0.0.1:PORT', or 'https://…' with `tls`. */
  url: string;
  port: number;
  /** With `tls`: the server's self-signed certificate (PEM), for clients that should trust it. */
  cert: string | undefined;
  /** Stops listening and closes every connection (streams and delays in progress included). */
  close(): Promise<void>;
}

/** Options of startDemoTarget(). */
export interface DemoTargetOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /**
   * https on a self-signed certificate generated at start (for localhost, 127.0.0.1 and ::1), or on
   * the certificate given. Clients must trust `cert` or skip verification (insecureSkipTLSVerify).
   */
  tls?: boolean | SelfSignedCert;
  /** With tls: offer HTTP/2 as well as HTTP/1.1 (ALPN h2, http/1.1). */
  h2?: boolean;
}

/**
 * Starts the embedded demo target: a deterministic httpbin-like server (127.0.0.1 and an ephemeral
 * port by default), used by `loadts run` when no BASE_URL is given, by `loadts serve`, and by tests
 * and benchmarks. Keep-alive is on and nothing is logged. With `tls` it serves https (and, with
 * `h2`, HTTP/2 to clients that offer it).
 */
export async function startDemoTarget(opts: DemoTargetOptions = {}): Promise<DemoTarget> {
  const limiter = new RateLimiter();
  const bytesCache = new Map<number, Buffer>();
  const sessions = new Sessions();
  const lab = new LabEndpoints();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.url === '/') {
      res.writeHead(200, ROOT_HEADERS);
      res.end(ROOT_BODY);
      return;
    }
    try {
      const pending = route(req, res, limiter, bytesCache, sessions, lab);
      if (pending !== undefined) pending.catch(() => fail(res));
    } catch {
      fail(res);
    }
  };
  if (opts.h2 === true && opts.tls === undefined) throw new Error('startDemoTarget: h2 needs tls (HTTP/2 is offered over TLS, via ALPN)');
  const pem = opts.tls === true ? selfSignedCert() : opts.tls === false || opts.tls === undefined ? undefined : opts.tls;
  let server: Server | Http2SecureServer;
  const sockets = new Set<Socket>();
  const h2Sessions = new Set<ServerHttp2Session>();
  if (pem === undefined) server = createServer({ noDelay: true }, handler);
  else if (opts.h2 === true) {
    const h2 = createSecureServer({ cert: pem.cert, key: pem.key, allowHTTP1: true }, handler as never);
    h2.on('session', (session: ServerHttp2Session) => {
      h2Sessions.add(session);
      session.once('close', () => h2Sessions.delete(session));
    });
    server = h2;
  } else server = createHttpsServer({ cert: pem.cert, key: pem.key, noDelay: true }, handler);
  if (pem !== undefined) {
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  if ('keepAliveTimeout' in server) {
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  }
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      const why = e.code === 'EADDRINUSE' ? 'the address is in use' : e.code === 'EACCES' ? 'permission denied' : e.message;
      reject(new Error(`cannot start the demo target on ${host}:${port}: ${why}`, { cause: e }));
    });
    server.listen(port, host, () => resolve());
  });
  const a = server.address() as AddressInfo;
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `${pem === undefined ? 'http' : 'https'}://${shown}:${a.port}`,
    port: a.port,
    cert: pem?.cert,
    close: () =>
      new Promise<void>((resolve) => {
        limiter.clear();
        lab.close();
        sessions.clear();
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
        for (const session of h2Sessions) session.destroy();
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function fail(res: ServerResponse): void {
  if (!res.headersSent) sendJson(res, 500, { error: 'internal error' });
  else res.destroy();
}
