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
 * scavenges in 6 s). The old generation's limit applies from LEAN_HEAP_FROM_VUS VUs only.
 *
 * `LOADTS_V8_GC=default` leaves V8's defaults alone (for comparison).
 */
const TUNED = process.env.LOADTS_V8_GC !== 'default';

/** Young generation per worker thread, MiB (semi-spaces and new large objects). */
const YOUNG_GENERATION_MB = 12;
/** The old generation may grow to 1.2× its live size before a full collection (V8: up to 4×). */
const HEAP_GROWING_PERCENT = 20;
/**
 * From this many VUs (the test's maxVUs in this process) the old generation is kept tight: there
 * the VUs' memory is what counts. Below, V8's own growing factor stays, because it adapts to how
 * fast collection is: a test that keeps a large heap (big shared data, big bodies) would otherwise
 * pay for a full collection every 20% of growth.
 */
export const LEAN_HEAP_FROM_VUS = 1_000;

let lean = false;

/** The resource limits for worker threads (the pool starts before the test's options are known). */
export function workerResourceLimits(): ResourceLimits | undefined {
  return TUNED ? { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } : undefined;
}

/**
 * With `maxVUs` at or above LEAN_HEAP_FROM_VUS, sets the process-wide old-generation growth (once;
 * V8 reads it at each collection's heap-limit decision, in every thread, so it applies to worker
 * threads already started).
 */
export function tuneHeapGrowth(maxVUs: number): void {
  if (!TUNED || lean || maxVUs < LEAN_HEAP_FROM_VUS) return;
  lean = true;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
