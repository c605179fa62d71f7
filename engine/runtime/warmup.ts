import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { TagSet } from '../metrics/tags.js';
import type { HttpSampleSink, VuHttp } from '../protocols/http/client.js';
import { planScenario, type ScenarioPlan } from '../execution/plan.js';
import { SegmentChain } from '../execution/segment.js';
import type { ResolvedScenario } from '../options/types.js';
import { runArrivalRate } from './executors/arrival-rate.js';
import { ScenarioRun, type ScenarioRunDeps } from './scenario-run.js';

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

/** The highest arrival rate (iterations/s on average, this worker's share) of the plans; 0 without an open model. */
function maxArrivalRate(plans: readonly ScenarioPlan[]): number {
  let max = 0;
  for (const p of plans) {
    if (p.executor !== 'constant-arrival-rate' && p.executor !== 'ramping-arrival-rate') continue;
    max = Math.max(max, ((p.iterations ?? 0) * 1000) / Math.max(p.durationMs, 1));
  }
  return max;
}

/** Whether this worker's part of the test has an arrival rate (its average) high enough to need a warm-up. */
export function needsWarmUp(plans: readonly ScenarioPlan[]): boolean {
  return maxArrivalRate(plans) >= WARM_UP_FROM_RATE_PER_SEC;
}

/**
 * Runs the HTTP request path (client, connection pool, connections, timing, a metrics sink) a few
 * hundred times, on new and on kept-alive connections, against the private loopback server of
 * warmUpServer(), before the test starts. No traffic reaches the target and no
 * sample reaches the test's metrics.
 *
 * Why: code runs interpreted until V8 has seen it often enough. An open-model scenario starts at
 * full rate, and a new connection for each VU it starts; without a warm-up its first few hundred
 * milliseconds run cold, iterations start late, VUs pile up, and at a high rate some are dropped
 * (measured on 2 cores at 2,000/s against a 5 ms target: 160-270 of 20,000 dropped without it,
 * 0-50 with it; it takes a few hundred ms). Closed-model scenarios ramp at the VUs' own pace and
 * do not need it.
 */
export async function warmUpHttp(makeHttp: (sink: HttpSampleSink) => VuHttp, sink: HttpSampleSink, url: string): Promise<{ requests: number; ms: number }> {
  const startMs = performance.now();
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
  }
  return { requests: WARM_UP_CONNECTIONS + WARM_UP_REQUESTS, ms: performance.now() - startMs };
}

/**
 * The iteration warm-up runs at the test's highest arrival rate, at most 8,000/s, for 1 s at that
 * cap and proportionally less below it (at least 250 ms): ~8,000 iterations at 10,000/s, where
 * the first seconds of a cold start are worst, 500 at 2,000/s.
 */
const WARM_UP_MAX_RATE = 8_000;
const WARM_UP_FULL_MS = 1_000;
const WARM_UP_MIN_MS = 250;

/**
 * The rest of an open-model iteration's path, warmed up the same way: a constant-arrival-rate
 * scenario of loadts's own function (one `http.get` of the private server, through the API a
 * script uses) runs on scratch VUs, with `deps.rt` carrying a scratch registry; nothing reaches
 * the target or the test's metrics. Measured at 10,000/s on one pinned core against nginx's 5 ms
 * delay (8 s runs): with the HTTP warm-up alone, start lag p(95) was 267-428 ms, all of it in the
 * first ~2.5 s while the executor, ScenarioRun.iterate and the API layer still ran unoptimised;
 * with this one (~1 s, 6,000-8,000 iterations) 79-153 ms.
 */
export async function warmUpIterations(deps: Omit<ScenarioRunDeps, 'scenario' | 'plan' | 'seg' | 'fn' | 'data' | 'vuIdOffset' | 'tags'>, plans: readonly ScenarioPlan[], url: string): Promise<{ iterations: number; ms: number }> {
  const startMs = performance.now();
  // The API module a script imports ('loadts/http'), loaded now: at its import it defines metrics
  // in the thread's registry, which exists only once the worker has started.
  const { get } = await import('../api/http.js');
  const rate = Math.min(Math.max(maxArrivalRate(plans), 1), WARM_UP_MAX_RATE);
  const durationMs = Math.max(WARM_UP_MIN_MS, Math.round((WARM_UP_FULL_MS * rate) / WARM_UP_MAX_RATE));
  const scenario: ResolvedScenario = {
    name: 'warm-up',
    executor: 'constant-arrival-rate',
    rate,
    timeUnitMs: 1000,
    durationMs,
    preAllocatedVUs: 20,
    maxVUs: 200,
    startTimeMs: 0,
    gracefulStopMs: 1000,
    exec: 'default',
    env: {},
    tags: {},
  };
  const run = new ScenarioRun(
    {
      ...deps,
      scenario,
      plan: planScenario(scenario),
      seg: SegmentChain.WHOLE,
      fn: async () => {
        await get(url);
      },
      data: undefined,
      vuIdOffset: 0,
      tags: TagSet.EMPTY.with('scenario', 'warm-up'),
    },
    performance.now(),
  );
  await runArrivalRate(run);
  return { iterations: run.complete + run.failed, ms: performance.now() - startMs };
}

const WARM_UP_RESPONSE = Buffer.from('HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nok');
const END_OF_HEAD = Buffer.from('\r\n\r\n');

/**
 * A loopback server private to this worker, for the warm-ups; `close` stops it. It answers every
 * request head it reads with the same 2-byte response and reads nothing else (the warm-ups send
 * GETs only): a fraction of node:http's cost, so the worker's time goes to the client side it warms.
 */
export async function warmUpServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createNetServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // how much of a CR LF CR LF the bytes read last have matched (a head may end across reads)
    let matched = 0;
    socket.on('data', (chunk: Buffer) => {
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === END_OF_HEAD[matched]) {
          if (++matched === END_OF_HEAD.length) {
            socket.write(WARM_UP_RESPONSE);
            matched = 0;
          }
        } else matched = c === 13 ? 1 : 0;
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/warm-up`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
