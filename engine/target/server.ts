import type { IncomingMessage, ServerResponse } from 'node:http';
import { Sessions } from './auth.js';
import { LabEndpoints } from './lab-endpoints.js';
import { createDemoServer, listen } from './listen.js';
import { RateLimiter } from './rate-limiter.js';
import { fail } from './respond.js';
import { demoRoutes, route, type DemoState } from './routes.js';
import { selfSignedCert, type SelfSignedCert } from './self-signed-cert.js';

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

const ROOT_BODY = Buffer.from('ok\n');
const ROOT_HEADERS = { 'content-type': 'text/plain; charset=utf-8', 'content-length': ROOT_BODY.length };

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
  if (opts.h2 === true && opts.tls === undefined) throw new Error('startDemoTarget: h2 needs tls (HTTP/2 is offered over TLS, via ALPN)');
  const pem = opts.tls === true ? selfSignedCert() : opts.tls === false || opts.tls === undefined ? undefined : opts.tls;
  const state: DemoState = { limiter: new RateLimiter(), bytesCache: new Map(), sessions: new Sessions(), lab: new LabEndpoints() };
  const routes = demoRoutes(state);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    // the benchmark target: answered first, before any URL parsing or routing, from constant headers and body
    if (req.url === '/') {
      res.writeHead(200, ROOT_HEADERS);
      res.end(ROOT_BODY);
      return;
    }
    try {
      const pending = route(routes, req, res);
      if (pending !== undefined) pending.catch(() => fail(res));
    } catch {
      fail(res);
    }
  };
  const { server, destroyConnections } = createDemoServer(handler, pem, opts.h2 === true);
  const a = await listen(server, opts.host ?? '127.0.0.1', opts.port ?? 0);
  const shown = a.family === 'IPv6' ? `[${a.address}]` : a.address;
  return {
    url: `${pem === undefined ? 'http' : 'https'}://${shown}:${a.port}`,
    port: a.port,
    cert: pem?.cert,
    close: () =>
      new Promise<void>((resolve) => {
        state.limiter.clear();
        state.lab.close();
        state.sessions.clear();
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
        destroyConnections();
      }),
  };
}
