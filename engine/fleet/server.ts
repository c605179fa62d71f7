import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadtsError, toError } from '../errors.js';
import { trace } from '../trace.js';
import { isLoopback } from '../runtime/rest-api.js';
import type { Answer, FleetBoard } from './board.js';
import { DEFAULT_FLEET_PORT, FLEET_PATHS, TOKEN_ENV, type JoinRequest, type Report } from './protocol.js';

/** The largest request body accepted (a report of many series, with their histograms). */
const MAX_BODY_BYTES = 64 * 2 ** 20;

/** A listening fleet server. */
export interface FleetServer {
  /** 'http://127.0.0.1:6566' (the address instances join). */
  readonly url: string;
  close(): Promise<void>;
}

/** The --listen address: HOST:PORT, :PORT or PORT; without a token only loopback hosts are allowed. */
export function parseListen(text: string | undefined, token: string | undefined): { host: string; port: number } {
  const fallbackHost = token === undefined ? '127.0.0.1' : '0.0.0.0';
  if (text === undefined) return { host: fallbackHost, port: DEFAULT_FLEET_PORT };
  const m = /^(?:(.*):)?(\d+)$/.exec(text.trim());
  if (m === null) throw new LoadtsError('INVALID_FLAG', `--listen must be HOST:PORT, :PORT or PORT, got ${JSON.stringify(text)}`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || fallbackHost;
  const port = Number(m[2]);
  if (port > 65535) throw new LoadtsError('INVALID_FLAG', `--listen: port ${port} is out of range (0 to 65535)`);
  if (token === undefined && !isLoopback(host)) {
    throw new LoadtsError('INVALID_FLAG', `--listen ${text}: without a shared token the coordinator listens on loopback only; set ${TOKEN_ENV} on the coordinator and every instance to listen on ${host}`);
  }
  return { host, port };
}

/** Whether `header` carries `token` (constant time); true when the fleet has no token. */
function authorized(header: string | undefined, token: string | undefined): boolean {
  if (token === undefined) return true;
  const given = /^Bearer (.+)$/.exec(header ?? '')?.[1] ?? '';
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(given), digest(token));
}

function send(res: ServerResponse, a: Answer): void {
  const text = JSON.stringify(a.body);
  res.writeHead(a.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (e) {
        reject(e);
      }
    });
    req.on('error', reject);
  });
}

/**
 * The coordinator's HTTP server (node:http, JSON). Every call needs the shared token when the
 * fleet has one; a wrong one is refused with 401 and said once per address on the coordinator's
 * side (`say`), so a misconfigured pod is visible in both logs.
 */
export async function startFleetServer(board: FleetBoard, listen: { host: string; port: number }, token: string | undefined, say: (line: string) => void): Promise<FleetServer> {
  const warned = new Set<string>();
  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => send(res, { status: 400, body: { error: `bad request: ${toError(e).message}` } }));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorized(req.headers.authorization, token)) {
      const from = req.socket.remoteAddress ?? '?';
      if (!warned.has(from)) say(`warning: fleet: refused a call from ${from}: wrong or missing token (${TOKEN_ENV})`);
      warned.add(from);
      return send(res, { status: 401, body: { error: `wrong or missing fleet token: set ${TOKEN_ENV} to the coordinator's token` } });
    }
    const path = (req.url ?? '/').split('?')[0];
    if (path === FLEET_PATHS.join && req.method === 'POST') return send(res, board.join((await readJson(req)) as JoinRequest));
    if (path === FLEET_PATHS.report && req.method === 'POST') {
      const report = (await readJson(req)) as Report;
      trace(`fleet: report from ${report.index}: ${report.phase}, ${report.intervals?.length} intervals`);
      const answer = board.report(report);
      trace(`fleet: answered ${report.index}: ${answer.status}`);
      return send(res, answer);
    }
    if (path === FLEET_PATHS.bundle && req.method === 'GET') {
      const code = board.test?.bundleCode;
      if (code === undefined) return send(res, { status: 503, body: { error: 'the coordinator is still preparing the test', retry: true } });
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'content-length': Buffer.byteLength(code) });
      return void res.end(code);
    }
    send(res, { status: 404, body: { error: `no such fleet call: ${req.method} ${path}` } });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new LoadtsError('INVALID_FLAG', `the fleet coordinator cannot listen on ${listen.host}:${listen.port}: ${e.code === 'EADDRINUSE' ? 'the port is in use' : e.message} (choose another with --listen)`)),
    );
    server.listen(listen.port, listen.host, resolve);
  });
  server.keepAliveTimeout = 10_000;
  const { port } = server.address() as AddressInfo;
  const shown = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host.includes(':') ? `[${listen.host}]` : listen.host;
  return {
    url: `http://${shown}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
