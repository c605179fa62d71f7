import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TagSet } from '../metrics/tags.js';
import type { HttpSampleSink, VuHttp } from '../protocols/http/client.js';
import type { ScenarioPlan } from '../execution/plan.js';

/**
 * Requests per second (in this worker) from which an open-model scenario gets a warm-up. Below
 * it, the first second's cold code costs a few milliseconds of start lag and no iterations.
 */
export const WARM_UP_FROM_RATE_PER_SEC = 200;

/**
 * How much warm-up: enough calls for V8 to compile the request path past its interpreter, and as
 * many new connections, because an open model's start opens one per VU (dozens to hundreds).
 */
const WARM_UP_REQUESTS = 300;
const WARM_UP_CONNECTIONS = 150;
const WARM_UP_CONCURRENCY = 12;

/** Whether this worker's part of the test has an arrival rate (its average) high enough to need a warm-up. */
export function needsWarmUp(plans: readonly ScenarioPlan[]): boolean {
  return plans.some((p) => {
    if (p.executor !== 'constant-arrival-rate' && p.executor !== 'ramping-arrival-rate') return false;
    const ratePerSec = ((p.iterations ?? 0) * 1000) / Math.max(p.durationMs, 1);
    return ratePerSec >= WARM_UP_FROM_RATE_PER_SEC;
  });
}

/**
 * Runs the HTTP request path (client, connection pool, undici, timing, a metrics sink) a few
 * hundred times, on new and on kept-alive connections, against a private loopback server that
 * this worker starts and stops, before the test starts. No traffic reaches the target and no
 * sample reaches the test's metrics.
 *
 * Why: code runs interpreted until V8 has seen it often enough. An open-model scenario starts at
 * full rate, and a new connection for each VU it starts; without a warm-up its first few hundred
 * milliseconds run cold, iterations start late, VUs pile up, and at a high rate some are dropped
 * (measured on 2 cores at 2,000/s against a 5 ms target: 160-270 of 20,000 dropped without it,
 * 0-50 with it; it takes a few hundred ms). Closed-model scenarios ramp at the VUs' own pace and
 * do not need it.
 */
export async function warmUpHttp(makeHttp: (sink: HttpSampleSink) => VuHttp, sink: HttpSampleSink): Promise<{ requests: number; ms: number }> {
  const startMs = performance.now();
  const server = createServer({ noDelay: true }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': 2 });
    res.end('ok');
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/warm-up`;
  const tags = TagSet.EMPTY.with('scenario', 'warm-up');
  const clients = Array.from({ length: WARM_UP_CONCURRENCY }, () => makeHttp(sink));
  let fresh = WARM_UP_CONNECTIONS;
  let left = WARM_UP_REQUESTS;
  try {
    await Promise.all(
      clients.map(async (http) => {
        // new connections first (a client per request, as new VUs have), then kept-alive ones
        while (fresh > 0) {
          fresh--;
          const one = makeHttp(sink);
          await one.request('GET', url, undefined, undefined, tags);
          await one.close();
        }
        while (left > 0) {
          left--;
          await http.request('GET', url, undefined, undefined, tags);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.close()));
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return { requests: WARM_UP_CONNECTIONS + WARM_UP_REQUESTS, ms: performance.now() - startMs };
}
