import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LoadtsError } from '../errors.js';

/** What the REST API reads and changes; the coordinator implements it. */
export interface RestControl {
  status(): { running: boolean; paused: boolean; stopped: boolean; vus: number; vusMax: number; tainted: boolean };
  /** Applies a PATCH; returns an error message when it is refused. */
  patch(change: { paused?: boolean; vus?: number; vusMax?: number; stopped?: boolean }): string | undefined;
  metrics(): Array<{ name: string; type: string; contains: string; values: Record<string, number> }>;
}

/** A started REST API server. */
export interface RestApi {
  readonly url: string;
  /** Set when it listens beyond loopback: anyone who can reach the machine can stop or change the test. */
  readonly warning: string | undefined;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      data += c;
      if (data.length > 1e6) req.destroy(new Error('body too large'));
    });
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

function statusDoc(c: RestControl) {
  const s = c.status();
  return {
    data: {
      type: 'status',
      id: 'default',
      attributes: { status: s.stopped ? 'stopped' : s.running ? 'running' : 'initializing', paused: s.paused, vus: s.vus, 'vus-max': s.vusMax, stopped: s.stopped, running: s.running, tainted: s.tainted },
    },
  };
}

/** Whether `host` is a loopback name or address (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

/**
 * k6's REST API, for externally-controlled scenarios and monitoring: GET/PATCH /v1/status,
 * GET /v1/metrics and /v1/metrics/{name}. Listens where `--address` says; with no host
 * (`--address :6565`) on loopback (127.0.0.1), and it warns when told to listen beyond it (it has
 * no authentication: whoever reaches it can stop the test or change its VUs).
 */
export async function startRestApi(address: string, control: RestControl): Promise<RestApi> {
  const m = /^(.*):(\d+)$/.exec(address);
  if (!m) throw new LoadtsError('INVALID_FLAG', `--address must be host:port, got "${address}"`);
  const host = (m[1] ?? '').replace(/^\[|\]$/g, '') || '127.0.0.1';
  const port = Number(m[2]);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (path === '/v1/status' && req.method === 'GET') return send(res, 200, statusDoc(control));
      if (path === '/v1/status' && (req.method === 'PATCH' || req.method === 'POST')) {
        let attrs: Record<string, unknown>;
        try {
          const doc = JSON.parse(await readBody(req)) as { data?: { attributes?: Record<string, unknown> } };
          attrs = doc.data?.attributes ?? {};
        } catch {
          return send(res, 400, { errors: [{ status: '400', title: 'invalid JSON body' }] });
        }
        const num = (v: unknown) => (typeof v === 'number' ? v : undefined);
        const bool = (v: unknown) => (typeof v === 'boolean' ? v : undefined);
        const error = control.patch({ paused: bool(attrs.paused), vus: num(attrs.vus), vusMax: num(attrs['vus-max']), stopped: bool(attrs.stopped) });
        if (error) return send(res, 400, { errors: [{ status: '400', title: error }] });
        return send(res, 200, statusDoc(control));
      }
      if (path === '/v1/metrics' && req.method === 'GET') {
        return send(res, 200, { data: control.metrics().map((x) => ({ type: 'metrics', id: x.name, attributes: { type: x.type, contains: x.contains, tainted: null, sample: x.values } })) });
      }
      const one = /^\/v1\/metrics\/([^/]+)$/.exec(path);
      if (one && req.method === 'GET') {
        const x = control.metrics().find((mm) => mm.name === decodeURIComponent(one[1] ?? ''));
        if (!x) return send(res, 404, { errors: [{ status: '404', title: 'no such metric' }] });
        return send(res, 200, { data: { type: 'metrics', id: x.name, attributes: { type: x.type, contains: x.contains, tainted: null, sample: x.values } } });
      }
      send(res, 404, { errors: [{ status: '404', title: `no endpoint ${req.method} ${path}` }] });
    })().catch(() => send(res, 500, { errors: [{ status: '500', title: 'internal error' }] }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new LoadtsError('REST_API', `cannot start the REST API on ${address}: ${e.code ?? e.message}`)),
    );
    server.listen(port, host, resolve);
  });
  const a = server.address() as AddressInfo;
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`;
  return {
    url,
    warning: isLoopback(host) ? undefined : `warning: the REST API listens on ${url}, beyond this machine's loopback, without authentication: anyone who can reach it can stop the test or change its VUs (use --address 127.0.0.1:PORT)`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
