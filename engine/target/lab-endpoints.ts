import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Demo-target endpoints with known behaviour under load, to check what loadts measures:
 * - /capacity?workers=c&ms=s&queue=q: a server of c workers, each taking s ms per request, behind a
 *   FIFO queue of at most q waiting requests (503 past it). Its capacity is exactly c × 1000 / s
 *   requests per second: service times run on a virtual clock (a worker's next request starts when
 *   its previous one was due to end, not when a late timer fired), so timer jitter does not lower it.
 *   A request whose client went away while it waited is skipped, as a real server's would be.
 * - /leak?kb=n: keeps n KiB per request for as long as the target runs (a leak, up to LEAK_CAP_BYTES).
 * - /noleak?kb=n: allocates n KiB per request and lets it go (the same work, no leak).
 */

/** What /leak keeps at most, so a long run cannot take the machine's memory. */
export const LEAK_CAP_BYTES = 1024 * 1024 * 1024;
const MAX_WORKERS = 10_000;
const MAX_SERVICE_MS = 60_000;
const MAX_KB = 10 * 1024;

interface Waiting {
  res: ServerResponse;
  arrivedMs: number;
}

/** One simulated server: c workers on a virtual clock, and its queue. */
class WorkerPool {
  /** When each worker is (or was) next free, performance.now() ms. */
  readonly #freeAt: number[];
  readonly #queue: Waiting[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(
    workers: number,
    private readonly serviceMs: number,
    private readonly maxQueue: number,
  ) {
    this.#freeAt = new Array<number>(workers).fill(0);
  }

  arrive(res: ServerResponse): void {
    const now = performance.now();
    // FIFO: while requests wait, a newcomer waits behind them (a worker whose timer is late is busy)
    const idle = this.#queue.length === 0 ? this.#freeAt.findIndex((t) => t <= now) : -1;
    if (idle >= 0) return this.#serve(idle, now, res);
    if (this.#queue.length >= this.maxQueue) return send(res, 503, { error: 'queue full' });
    this.#queue.push({ res, arrivedMs: now });
  }

  /** Worker `w` takes `res` at virtual time `startMs`; when it is done, the next waiting request. */
  #serve(w: number, startMs: number, res: ServerResponse): void {
    const doneMs = startMs + this.serviceMs;
    this.#freeAt[w] = doneMs;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send(res, 200, { served_ms: this.serviceMs });
      // a late timer's worker may have been given a newcomer already: that job's timer goes on
      if (this.#freeAt[w] === doneMs) this.#next(w, doneMs);
    }, Math.max(0, Math.ceil(doneMs - performance.now())));
    this.#timers.add(timer);
  }

  #next(w: number, freeMs: number): void {
    for (let job = this.#queue.shift(); job !== undefined; job = this.#queue.shift()) {
      if (job.res.destroyed || job.res.writableEnded) continue; // the client gave up while it waited
      return this.#serve(w, Math.max(freeMs, job.arrivedMs), job.res);
    }
  }

  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#queue.length = 0;
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  if (res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function bounded(text: string | null, dflt: number, min: number, max: number): number {
  const n = text === null || text === '' ? dflt : Number(text);
  return Number.isFinite(n) ? Math.min(Math.max(n, min), max) : dflt;
}

/** The lab endpoints' state in one demo target (cleared when it closes). */
export class LabEndpoints {
  readonly #pools = new Map<string, WorkerPool>();
  #leaked: Buffer[] = [];
  #leakedBytes = 0;

  /** Handles /capacity, /leak and /noleak; false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const q = url.searchParams;
    switch (url.pathname) {
      case '/capacity': {
        req.resume();
        const workers = Math.floor(bounded(q.get('workers'), 4, 1, MAX_WORKERS));
        const ms = bounded(q.get('ms'), 20, 0.1, MAX_SERVICE_MS);
        const queue = Math.floor(bounded(q.get('queue'), 10_000, 0, 1_000_000));
        const key = `${workers}|${ms}|${queue}`;
        let pool = this.#pools.get(key);
        if (pool === undefined) {
          pool = new WorkerPool(workers, ms, queue);
          this.#pools.set(key, pool);
        }
        pool.arrive(res);
        return true;
      }
      case '/leak':
      case '/noleak': {
        req.resume();
        const bytes = Math.floor(bounded(q.get('kb'), 16, 0, MAX_KB) * 1024);
        const buf = Buffer.alloc(bytes, 1); // filled: its pages are touched, so they count in RSS
        if (url.pathname === '/leak' && this.#leakedBytes + bytes <= LEAK_CAP_BYTES) {
          this.#leaked.push(buf);
          this.#leakedBytes += bytes;
        }
        send(res, 200, { kb: bytes / 1024, retained_bytes: this.#leakedBytes });
        return true;
      }
    }
    return false;
  }

  close(): void {
    for (const p of this.#pools.values()) p.close();
    this.#pools.clear();
    this.#leaked = [];
    this.#leakedBytes = 0;
  }
}
