import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DashboardEvent } from './events.js';
import type { DashboardFeed } from './feed.js';
import { pageHtml } from './page.js';

/** How often an idle event stream gets a comment line, so proxies and browsers keep it open. */
const KEEPALIVE_MS = 15_000;

/**
 * The live dashboard's HTTP server: `/` is the page, `/events` a server-sent event stream that
 * replays every event so far (a browser that connects mid-run sees the whole history) and then
 * sends each new one, `/report` the HTML report of the run so far. Each event is one
 * `data: <JSON>` line (JSON has no raw newlines, so one line is a whole event, per the SSE spec).
 */
export class DashboardServer {
  readonly #feed: DashboardFeed;
  readonly #server: Server;
  readonly #streams = new Set<ServerResponse>();
  readonly #title: string;
  #keepalive: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #onIdle: (() => void) | undefined;

  constructor(feed: DashboardFeed, title: string) {
    this.#feed = feed;
    this.#title = title;
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  /** Listens; resolves with the page's URL. */
  async listen(host: string, port: number): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#unsubscribe = this.#feed.subscribe((e) => this.#broadcast(e));
    this.#keepalive = setInterval(() => {
      for (const res of this.#streams) res.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
    const { address, port: bound } = this.#server.address() as AddressInfo;
    const shown = address.includes(':') ? `[${address}]` : address === '0.0.0.0' ? '127.0.0.1' : address;
    return `http://${shown}:${bound}`;
  }

  /** Browsers connected to the event stream now. */
  get connections(): number {
    return this.#streams.size;
  }

  /** Resolves when no browser is connected (at once when none is). */
  idle(): Promise<void> {
    if (this.#streams.size === 0) return Promise.resolve();
    return new Promise((resolve) => (this.#onIdle = resolve));
  }

  /** Ends every stream and stops listening. */
  async close(): Promise<void> {
    this.#unsubscribe?.();
    clearInterval(this.#keepalive);
    for (const res of this.#streams) res.end();
    this.#streams.clear();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/' || path === '/index.html') return this.#html(res, pageHtml({ mode: 'live', title: this.#title }));
    if (path === '/report') return this.#html(res, pageHtml({ mode: 'report', title: this.#title, events: this.#feed.events }), 'attachment; filename="loadts-report.html"');
    if (path === '/events') return this.#stream(req, res);
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
  }

  #html(res: ServerResponse, body: string, disposition?: string): void {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...(disposition ? { 'content-disposition': disposition } : {}) });
    res.end(body);
  }

  #stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    // Tell the browser not to reconnect too eagerly once the run is over and the server is gone.
    res.write('retry: 3000\n\n');
    for (const e of this.#feed.events) res.write(frame(e));
    this.#streams.add(res);
    req.on('close', () => {
      this.#streams.delete(res);
      if (this.#streams.size === 0) this.#onIdle?.();
    });
  }

  #broadcast(e: DashboardEvent): void {
    const text = frame(e);
    for (const res of this.#streams) res.write(text);
  }
}

function frame(e: DashboardEvent): string {
  return `data: ${JSON.stringify(e)}\n\n`;
}
