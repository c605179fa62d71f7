import { cpus, freemem, hostname, loadavg, release, arch, platform, totalmem, type as osType } from 'node:os';
import type { CpuTimeline, EnvironmentRecord } from '../record/types.js';
import { threadDemandNs, threadTicks, tickShare as share } from './thread-stats.js';

export { currentTid } from './thread-stats.js';
import type { LoopTimes } from './protocol.js';
import { loadtsVersion } from '../options/version.js';

/**
 * A worker whose event loop is busy more than this share of the time, for BUSY_SECONDS samples in a
 * row, bounds the results.
 */
export const BUSY_SHARE = 0.9;
export const BUSY_SECONDS = 5;
/** The most CPU samples kept; past it adjacent pairs are averaged (a 24-hour run keeps 2,000 points). */
export const CPU_TIMELINE_MAX_POINTS = 2000;
/** Samples of the busiest worker's demand for a core kept before adjacent ones are merged. */
const MAX_DEMAND_SAMPLES = 4000;

/** One worker thread's load: its event loop (every platform) and its CPU time (Linux). */
interface WorkerLoad {
  cpu: { tid: number; firstTicks: number; firstAtMs: number; lastTicks: number; lastAtMs: number; peakShare: number; lastShare: number; lastDemandNs: number | undefined; lastDemand: number | undefined } | undefined;
  loop: { first: LoopTimes; last: LoopTimes; peakShare: number } | undefined;
  busySeconds: number;
}

/** What the load phase knows of worker `index`: its Linux thread id and its event loop's times, from its last status. */
export type WorkerProbe = (index: number) => { tid: number | undefined; loop: LoopTimes | undefined };

/**
 * Where the numbers came from: the machine, and the load generator's own load. Once a second the
 * coordinator samples each worker thread's event loop (how much of the time it was busy rather than
 * waiting for the network or a timer, from the statuses the workers send) and, on Linux, its CPU
 * time. A worker whose loop is busy more than BUSY_SHARE of the time for BUSY_SECONDS in a row gets
 * one warning, kept in the run record: past that, the results may be bounded by the generator
 * rather than the target. The event loop, not the CPU time, decides: a worker starved of CPU by
 * other processes (a shared CI runner) is as much the bottleneck as one that uses a whole core,
 * and reads busy all the same. k6 does not tell; a user who measures a fast target deserves to know.
 */
export class GeneratorMonitor {
  readonly #workers = new Map<number, WorkerLoad>();
  readonly #startCpu = process.cpuUsage();
  readonly #start = { freeBytes: freemem(), load: loadavg() };
  #warned = false;
  /** Each worker's CPU share once a second (the report's generator chart). */
  readonly #timeline: CpuTimeline = { atMs: [], shares: [] };
  /**
   * The busiest worker's demand for a core at each sample (wall-clock ms), for the load-level table:
   * the share of the time it was running or waiting to run (schedstat), else its CPU share.
   */
  readonly #demand: Array<{ atMs: number; share: number }> = [];

  constructor(private readonly warn: (line: string) => void) {}

  /** Takes one sample of each of the `count` load workers (call about once a second). */
  sample(count: number, probe: WorkerProbe): void {
    const shares: number[] = [];
    let busiest: number | undefined;
    for (let index = 0; index < count; index++) {
      const { tid, loop } = probe(index);
      let w = this.#workers.get(index);
      if (w === undefined) this.#workers.set(index, (w = { cpu: undefined, loop: undefined, busySeconds: 0 }));
      sampleCpu(w, tid);
      const busy = sampleLoop(w, loop);
      busiest = w.cpu === undefined ? busiest : Math.max(busiest ?? 0, Math.min(w.cpu.lastDemand ?? w.cpu.lastShare, 1));
      if (w.cpu !== undefined) shares[index] = w.cpu.lastShare;
      if (busy === undefined) continue; // no new status since the last sample
      w.busySeconds = busy > BUSY_SHARE ? w.busySeconds + 1 : 0;
      if (w.busySeconds >= BUSY_SECONDS && !this.#warned) {
        this.#warned = true;
        const pct = w.cpu === undefined ? undefined : Math.round(w.cpu.lastShare * 100);
        const cpu = pct === undefined ? '' : pct >= 80 ? ` (using ${pct}% of a CPU core)` : ` (its thread got only ${pct}% of a CPU core: other processes compete for the CPU)`;
        this.warn(
          `worker ${index + 1}'s event loop was busy over ${BUSY_SHARE * 100}% of the time for ${BUSY_SECONDS} s${cpu}: the results may be bounded by the load generator, not the target (more --workers, more cores, or less work per iteration)`,
        );
      }
    }
    const now = performance.timeOrigin + performance.now();
    if (shares.length > 0) keepTimeline(this.#timeline, now, Array.from(shares, (v) => v ?? 0));
    if (busiest !== undefined) keepDemand(this.#demand, now, busiest);
  }

  /** Each worker's CPU share over the run so far (one point a second, coalesced past CPU_TIMELINE_MAX_POINTS). */
  timeline(): CpuTimeline {
    return this.#timeline;
  }

  /**
   * The busiest worker thread's average demand for a core over [startMs, endMs) (wall clock): the mean
   * of the samples taken in it (each covers the second before it). Undefined where threads' CPU
   * times are unknown (off Linux) or no sample fell in the window.
   */
  busiestShare(startMs: number, endMs: number): number | undefined {
    const inside = this.#demand.filter((s) => s.atMs > startMs + 500 && s.atMs <= endMs + 500);
    return inside.length === 0 ? undefined : inside.reduce((a, s) => a + s.share, 0) / inside.length;
  }

  /** The environment record, with the generator's load over the run. */
  record(peakRssBytes: number): EnvironmentRecord {
    const cpu = process.cpuUsage(this.#startCpu);
    const list = cpus();
    return {
      os: { platform: platform(), type: osType(), release: release(), arch: arch() },
      cpu: { model: list[0]?.model.trim() ?? 'unknown', logicalCores: list.length },
      memory: { totalBytes: totalmem(), freeBytesAtStart: this.#start.freeBytes, freeBytesAtEnd: freemem() },
      loadAverage: { start: this.#start.load, end: loadavg() },
      node: process.version,
      loadts: loadtsVersion(),
      hostname: hostname(),
      generator: {
        processCpuMs: (cpu.user + cpu.system) / 1000,
        workers: [...this.#workers.entries()].map(([worker, w]) => ({
          worker,
          busyShare: w.loop === undefined ? undefined : loopShare(w.loop.first, w.loop.last),
          peakBusyShare: w.loop?.peakShare,
          cpuShare: w.cpu === undefined ? undefined : share(w.cpu.lastTicks - w.cpu.firstTicks, w.cpu.lastAtMs - w.cpu.firstAtMs),
          peakCpuShare: w.cpu?.peakShare,
        })),
        peakRssBytes: Math.max(peakRssBytes, process.resourceUsage().maxRSS * 1024),
        timeline: { atMs: [...this.#timeline.atMs], shares: this.#timeline.shares.map((x) => [...x]) },
      },
    };
  }
}

function sampleCpu(w: WorkerLoad, tid: number | undefined): void {
  if (tid === undefined) return;
  const ticks = threadTicks(tid);
  if (ticks === undefined) return;
  const now = performance.now();
  const demandNs = threadDemandNs(tid);
  if (w.cpu === undefined || w.cpu.tid !== tid) {
    w.cpu = { tid, firstTicks: ticks, firstAtMs: now, lastTicks: ticks, lastAtMs: now, peakShare: 0, lastShare: 0, lastDemandNs: demandNs, lastDemand: undefined };
    return;
  }
  const seconds = (now - w.cpu.lastAtMs) / 1000;
  w.cpu.lastDemand = demandNs === undefined || w.cpu.lastDemandNs === undefined || seconds <= 0 ? undefined : (demandNs - w.cpu.lastDemandNs) / 1e9 / seconds;
  w.cpu.lastDemandNs = demandNs;
  const s = share(ticks - w.cpu.lastTicks, now - w.cpu.lastAtMs) ?? 0;
  w.cpu.lastTicks = ticks;
  w.cpu.lastAtMs = now;
  w.cpu.lastShare = s;
  w.cpu.peakShare = Math.max(w.cpu.peakShare, s);
}

/** The share of the time the loop was busy between two readings; undefined when no time passed. */
function loopShare(from: LoopTimes, to: LoopTimes): number | undefined {
  const active = to.activeMs - from.activeMs;
  const total = active + (to.idleMs - from.idleMs);
  return total <= 0 ? undefined : Math.min(1, Math.max(0, active / total));
}

/** Takes the worker's latest loop times; returns how busy it was since the previous sample. */
function sampleLoop(w: WorkerLoad, loop: LoopTimes | undefined): number | undefined {
  if (loop === undefined) return undefined;
  if (w.loop === undefined) {
    w.loop = { first: loop, last: loop, peakShare: 0 };
    return undefined;
  }
  const busy = loopShare(w.loop.last, loop);
  if (busy === undefined) return undefined;
  w.loop.last = loop;
  w.loop.peakShare = Math.max(w.loop.peakShare, busy);
  return busy;
}

/** Appends one point of each worker's CPU share; past CPU_TIMELINE_MAX_POINTS adjacent pairs are averaged. */
function keepTimeline(t: CpuTimeline, atMs: number, shares: number[]): void {
  t.atMs.push(Math.round(atMs));
  t.shares.push(shares.map((v) => Math.round(v * 1000) / 1000));
  if (t.atMs.length <= CPU_TIMELINE_MAX_POINTS) return;
  const atMsOld = t.atMs.splice(0);
  const old = t.shares.splice(0);
  for (let i = 0; i < old.length; i += 2) {
    const a = old[i]!;
    const b = old[i + 1];
    t.atMs.push(atMsOld[Math.min(i + 1, old.length - 1)]!);
    t.shares.push(b === undefined ? a : a.map((v, k) => Math.round(((v + (b[k] ?? v)) / 2) * 1000) / 1000));
  }
}

/** Appends the busiest worker's demand; past MAX_DEMAND_SAMPLES adjacent samples merge (their mean, at the later time). */
function keepDemand(t: Array<{ atMs: number; share: number }>, atMs: number, share: number): void {
  t.push({ atMs, share });
  if (t.length <= MAX_DEMAND_SAMPLES) return;
  for (let i = 0; i < t.length / 2; i++) {
    const a = t[2 * i]!;
    const b = t[2 * i + 1];
    t[i] = b === undefined ? a : { atMs: b.atMs, share: (a.share + b.share) / 2 };
  }
  t.length = Math.ceil(t.length / 2);
}
