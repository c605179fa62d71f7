import type { Client } from 'undici';
import { undici } from './undici.js';
import { vuConnector, type ConnectorOptions } from './connection.js';
import { H1Client } from './h1-client.js';
import { UndiciReuse } from './undici-reuse.js';

/**
 * `LOADTS_HTTP1_CLIENT=undici` sends plain-http requests through undici's Client too (loadts's own
 * HTTP/1.1 client is the default): for comparing the two, and a way out should ours misbehave.
 */
const UNDICI_FOR_PLAIN_HTTP = process.env.LOADTS_HTTP1_CLIENT === 'undici';

/** One connection at a time to one origin (loadts's H1Client for http:, undici's Client for https:) and how many of our requests it is carrying. */
export interface PooledClient {
  readonly client: Client | H1Client;
  inflight: number;
  /** Its connection speaks HTTP/2 (known once a request has gone out on it). */
  h2: boolean;
  /** When an undici Client's kept HTTP/1.1 connection may carry the next request (H1Client keeps its own). */
  reuse: UndiciReuse | undefined;
}

/** Streams a VU may have open at once on one HTTP/2 connection (undici's default session limit). */
export const MAX_H2_STREAMS = 100;

/** Connections a VU may open to one origin at once by default (a browser's and k6's batchPerHost default). */
export const MAX_CONNECTIONS_PER_ORIGIN = 6;

/**
 * One VU's connections: per origin, up to 6 clients, each holding one keep-alive connection
 * with one request at a time. A request goes to the first Client with nothing in flight.
 *
 * Why not undici's Pool or Agent: with pipelining 1, a Client stays "busy" until a setImmediate
 * after each response (undici waits a loop turn before reusing the socket), so a VU that sends its
 * next request right after the previous response would make the Pool open a second connection.
 * Counting in-flight requests ourselves keeps a sequential VU on one connection, as in k6: the
 * request simply queues inside the Client for that turn.
 *
 * HTTP/2 (https servers that choose h2 in ALPN): once a Client's connection is known to be h2
 * (markH2, from the first request on it), every request to that origin goes to it, multiplexed, as
 * Go's transport does; requests started before that (the first ones of an http.batch) may still
 * open further connections, up to 6.
 */
export class ConnectionPool {
  /** The first origin's clients in fields (most VUs talk to one origin), further origins in a Map. */
  #firstOrigin: string | undefined;
  #first: PooledClient[] | undefined;
  #more: Map<string, PooledClient[]> | undefined;
  /** undici's options, made with the first https connection (the connector holds per-VU TLS state). */
  #options: Client.Options | undefined;
  readonly #maxPerOrigin: number;
  readonly #connector: ConnectorOptions;

  /** @param maxPerOrigin connections per origin (the batchPerHost option; 0: no limit) */
  constructor(opts: ConnectorOptions & { maxPerOrigin?: number }) {
    const max = opts.maxPerOrigin ?? MAX_CONNECTIONS_PER_ORIGIN;
    this.#maxPerOrigin = max <= 0 ? Infinity : max;
    this.#connector = opts;
  }

  /** A client for `origin` with the request counted in flight; hand it back with release(). */
  acquire(origin: string): PooledClient {
    const list = this.#clientsFor(origin);
    let least: PooledClient | undefined;
    for (const pc of list) {
      if (pc.h2) {
        pc.inflight++;
        return pc;
      }
      if (pc.inflight === 0) {
        pc.inflight = 1;
        return pc;
      }
      if (least === undefined || pc.inflight < least.inflight) least = pc;
    }
    if (least === undefined || list.length < this.#maxPerOrigin) {
      const client = this.#newClient(origin);
      least = { client, inflight: 0, h2: false, reuse: client instanceof H1Client ? undefined : new UndiciReuse() };
      list.push(least);
    }
    least.inflight++;
    return least;
  }

  #clientsFor(origin: string): PooledClient[] {
    if (this.#firstOrigin === origin) return this.#first!;
    if (this.#firstOrigin === undefined) {
      this.#firstOrigin = origin;
      return (this.#first = []);
    }
    this.#more ??= new Map();
    let list = this.#more.get(origin);
    if (list === undefined) {
      list = [];
      this.#more.set(origin, list);
    }
    return list;
  }

  #newClient(origin: string): Client | H1Client {
    if (origin.startsWith('http:') && !UNDICI_FOR_PLAIN_HTTP) {
      const c = this.#connector;
      return new H1Client(origin, c.connectTimeoutMs, c.state, c.hosts);
    }
    const opts = this.#connector;
    this.#options ??= {
      connect: vuConnector(opts),
      pipelining: 1,
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      allowH2: opts.allowH2 === true,
      maxConcurrentStreams: MAX_H2_STREAMS,
    };
    return new (undici().Client)(origin, this.#options);
  }

  release(pc: PooledClient): void {
    pc.inflight--;
  }

  /** `pc`'s connection turned out to be HTTP/2: it takes every request to its origin from now on. */
  markH2(pc: PooledClient): void {
    if (pc.h2) return;
    pc.h2 = true;
    if (!(pc.client instanceof H1Client)) pc.client.pipelining = MAX_H2_STREAMS;
  }

  /** Destroys every connection; requests in flight end with an error. */
  async destroy(): Promise<void> {
    const all: Promise<void>[] = [];
    const lists = [...(this.#first === undefined ? [] : [this.#first]), ...(this.#more?.values() ?? [])];
    this.#firstOrigin = undefined;
    this.#first = undefined;
    this.#more = undefined;
    for (const list of lists) for (const pc of list) all.push(pc.client.destroy().catch(() => {}));
    await Promise.all(all);
  }
}
