import { setFlagsFromString } from 'node:v8';
import type { ResourceLimits } from 'node:worker_threads';

/**
 * V8's garbage collector, tuned for a load generator: many small, long-lived objects (a VU, its
 * connection, its suspended iteration) and a steady stream of short-lived ones (one request's).
 *
 * V8's defaults favour throughput for applications with a large working set: the young generation
 * may grow to 3 × 16 MiB per isolate (each worker thread is one), and the old generation grows by a
 * factor up to 4 before a full collection. With thousands of VUs that wake together (sleep(1)),
 * a burst of in-flight requests grows the young generation to its maximum and promotes their objects,
 * and the old generation then carries 2-4× its live size. Measured with 5,000 VUs against 100
 * (bench/scripts/sleep-vus.ts, 2 workers): 33 KiB of RSS per extra VU with the defaults, 16 KiB with
 * these settings. The cost is more frequent minor collections in the throughput case: ~1.5% of
 * CPU at 50 VUs running flat out (measured with a gc PerformanceObserver: 190 against 105 ms of
 * scavenges in 6 s).
 *
 * `LOADTS_V8_GC=default` leaves V8's defaults alone (for comparison).
 */
const TUNED = process.env.LOADTS_V8_GC !== 'default';

/** Young generation per worker thread, MiB (semi-spaces and new large objects). */
const YOUNG_GENERATION_MB = 12;
/** The old generation may grow to 1.2× its live size before a full collection (V8: up to 4×). */
const HEAP_GROWING_PERCENT = 20;

let applied = false;

/**
 * Sets the process-wide collector flags (once, before worker threads start: V8 reads them at each
 * heap-limit decision, in every isolate) and returns the resource limits for worker threads.
 */
export function workerResourceLimits(): ResourceLimits | undefined {
  if (!TUNED) return undefined;
  if (!applied) {
    applied = true;
    setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  }
  return { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB };
}
