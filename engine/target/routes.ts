/**
 * The demo target's route table: a request goes by its path's first segment (`/status` of
 * `/status/404`) to one handler, which gets the rest of the path (`404`) as `arg`. A handler returns
 * false when the rest does not name one of its endpoints (then: 404), and a promise only when it
 * reads the body. `/` is not here: startDemoTarget answers it before any parsing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basicAuth, digestAuth, login, me, type Sessions } from './auth.js';
import { chatCompletions } from './chat.js';
import { cookies, redirect, redirectTo } from './cookies-redirects.js';
import { echo } from './echo.js';
import { bytes, compressed, COMPRESSED, delay, headers, jsonDocument, statusCode } from './fixed-endpoints.js';
import { htmlPage } from './html-pages.js';
import type { LabEndpoints } from './lab-endpoints.js';
import { rateLimited, type RateLimiter } from './rate-limiter.js';
import { sendJson } from './respond.js';
import { ndjsonStream, sse } from './streaming.js';

/** What a handler did: answered (or will, when the promise settles), or false for no such endpoint. */
export type Handled = Promise<void> | void | false;
export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL, arg: string | undefined) => Handled;

/** The state one demo target's endpoints keep (cleared when it closes). */
export interface DemoState {
  limiter: RateLimiter;
  /** /bytes/:n buffers, by n. */
  bytesCache: Map<number, Buffer>;
  sessions: Sessions;
  lab: LabEndpoints;
}

/** /get, /post, /put, /patch, /delete: the echo, for that method only (and HEAD for GET). */
function methodEcho(want: string): Handler {
  return (req, res, url, arg) => {
    if (arg !== undefined) return false;
    if (req.method !== want && !(want === 'GET' && req.method === 'HEAD')) {
      return sendJson(res, 405, { error: `${url.pathname} expects ${want}, got ${req.method}` }, { allow: want });
    }
    return echo(req, res, url);
  };
}

function authRoutes(sessions: Sessions): Array<[string, Handler]> {
  return [
    ['/basic-auth', (req, res, _url, arg) => {
      const parts = arg?.split('/');
      return parts?.length === 2 ? basicAuth(req, res, parts[0]!, parts[1]!) : false;
    }],
    ['/digest-auth', (req, res, _url, arg) => {
      const parts = arg?.split('/');
      return parts === undefined || parts.length < 3 || parts.length > 4 ? false : digestAuth(req, res, parts);
    }],
    ['/login', (req, res, _url, arg) => (arg === undefined ? login(req, res, sessions) : false)],
    ['/me', (req, res, _url, arg) => (arg === undefined ? me(req, res, sessions) : false)],
  ];
}

/** Every endpoint but `/`, by the first segment of its path. */
export function demoRoutes({ limiter, bytesCache, sessions, lab }: DemoState): ReadonlyMap<string, Handler> {
  const page: Handler = (_req, res, url) => (htmlPage(res, url.pathname) ? undefined : false);
  const labRoute: Handler = (req, res, url) => (lab.handle(req, res, url) ? undefined : false);
  return new Map<string, Handler>([
    ['/html', page],
    ['/forms', page],
    ['/links', page],
    ...['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m): [string, Handler] => [`/${m.toLowerCase()}`, methodEcho(m)]),
    ['/anything', echo],
    ['/status', (_req, res, _url, arg) => statusCode(res, arg)],
    ['/delay', (req, res, _url, arg) => (arg === undefined || arg.includes('/') ? false : delay(req, res, arg))],
    ['/bytes', (_req, res, _url, arg) => (arg === undefined ? false : bytes(res, arg, bytesCache))],
    ['/json', (_req, res) => jsonDocument(res)],
    ...Object.entries(COMPRESSED).map(([name, c]): [string, Handler] => [`/${name}`, (_req, res) => compressed(res, c)]),
    ['/headers', headers],
    ['/cookies', cookies],
    ['/redirect', (_req, res, _url, arg) => (arg === undefined ? false : redirect(res, arg))],
    ['/redirect-to', (_req, res, url) => redirectTo(res, url)],
    ...authRoutes(sessions),
    ['/stream', (_req, res, url, arg) => (arg === undefined ? false : ndjsonStream(res, url.pathname, arg))],
    ['/sse', (_req, res, url) => sse(res, url)],
    ['/v1', (req, res, url, arg) => (arg === 'chat/completions' ? chatCompletions(req, res, url, limiter) : false)],
    ['/capacity', labRoute],
    ['/leak', labRoute],
    ['/noleak', labRoute],
    ['/ratelimit', (req, res, url) => rateLimited(req, res, url, limiter)],
  ]);
}

/** Routes one request by the table; a JSON 404 when no handler takes it. Returns a promise only for endpoints that read the body. */
export function route(routes: ReadonlyMap<string, Handler>, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://target');
  const path = url.pathname;
  const slash = path.indexOf('/', 1);
  const head = slash < 0 ? path : path.slice(0, slash);
  const arg = slash < 0 ? undefined : path.slice(slash + 1);
  const handler = routes.get(head);
  const handled = handler === undefined ? false : handler(req, res, url, arg);
  if (handled !== false) return handled;
  sendJson(res, 404, { error: `no such endpoint: ${path} (see \`loadts serve --help\`)` });
}
