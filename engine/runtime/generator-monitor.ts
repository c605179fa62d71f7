import { readFileSync } from 'node:fs';
import { cpus, freemem, hostname, loadavg, release, arch, platform, totalmem, type as osType } from 'node:os';
import type { CpuTimeline, EnvironmentRecord } from '../record/types.js';
import { loadtsVersion } from '../options/version.js';

/** A worker thread busier than this share of a core, for BUSY_SECONDS in a row, bounds the results. */
export const BUSY_SHARE = 0.9;
export const BUSY_SECONDS = 5;
/** Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;
/** The most CPU samples kept; past it adjacent pairs are averaged (a 24-hour run keeps 2,000 points). */
export const CPU_TIMELINE_MAX_POINTS = 2000;
/** Samples of the busiest worker's demand for a core kept before adjacent ones are merged. */
const MAX_DEMAND_SAMPLES = 4000;

interface WorkerCpu {
  tid: number;
  /** ns the thread ran plus ns it waited for a CPU (/proc schedstat), at the last sample. */
  lastDemandNs: number | undefined;
  lastTicks: number;
  lastAtMs: number;
  firstTicks: number;
  firstAtMs: number;
  peakShare: number;
  busySeconds: number;
}

/** CPU ticks (user + system) of one of this process's threads, from /proc; undefined off Linux. */
function threadTicks(tid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime, stime (fields 14 and 15 of the line)
  } catch {
    return undefined;
  }
}

/**
 * ns one of this process's threads spent running plus waiting on a run queue (/proc schedstat's
 * first two fields), undefined where the kernel does not tell: a thread that is always running or
 * waiting to run needed all the CPU it could get, even when the machine gave it less.
 */
function threadDemandNs(tid: number): number | undefined {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ');
    const ns = Number(run) + Number(wait);
    return Number.isFinite(ns) ? ns : undefined;
  } catch {
    return undefined;
  }
}

/** This thread's Linux thread id (a worker thread reports it, so the coordinator can read its CPU time). */
export function currentTid(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    // /proc/thread-self is the thread that reads it; its stat line starts with its id
    const tid = Number(readFileSync('/proc/thread-self/stat', 'utf8').split(' ')[0]);
    return Number.isInteger(tid) && tid > 0 ? tid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where the numbers came from: the machine, and the load generator's own load. The coordinator
 * samples each worker thread's CPU once a second; a worker that spends more than BUSY_SHARE of a core
 * for BUSY_SECONDS in a row gets one warning, kept in the run record: past that, the results may be
 * bounded by the generator rather than the target. k6 does not tell; a user who measures a fast
 * target deserves to know.
 */
export class GeneratorMonitor {
  readonly #workers = new Map<number, WorkerCpu>();
  readonly #startCpu = process.cpuUsage();
  readonly #start = { freeBytes: freemem(), load: loadavg() };
  #warned = false;
  readonly #timeline: CpuTimeline = { atMs: [], shares: [] };
  /**
   * The busiest worker's demand for a core at each sample (wall-clock ms), for the load-level table:
   * the share of the time it was running or waiting to run (schedstat), else its CPU share.
   */
  readonly #demand: Array<{ atMs: number; share: number }> = [];

  constructor(private readonly warn: (line: string) => void) {}

  /** A load worker's thread, once it is known. */
  addWorker(index: number, tid: number | undefined): void {
    if (tid === undefined || this.#workers.has(index)) return;
    const ticks = threadTicks(tid);
    if (ticks === undefined) return;
    const now = performance.now();
    this.#workers.set(index, { tid, lastDemandNs: threadDemandNs(tid), lastTicks: ticks, lastAtMs: now, firstTicks: ticks, firstAtMs: now, peakShare: 0, busySeconds: 0 });
  }

  /** Takes one sample of every worker's CPU (call about once a second). */
  sample(): void {
    const shares: number[] = [];
    let busiest: number | undefined;
    for (const [index, w] of this.#workers) {
      const ticks = threadTicks(w.tid);
      if (ticks === undefined) continue;
      const now = performance.now();
      const seconds = Math.max((now - w.lastAtMs) / 1000, 1e-3);
      const share = (ticks - w.lastTicks) / TICKS_PER_SECOND / seconds;
      const demandNs = threadDemandNs(w.tid);
      const demand = demandNs === undefined || w.lastDemandNs === undefined ? undefined : (demandNs - w.lastDemandNs) / 1e9 / seconds;
      w.lastDemandNs = demandNs;
      busiest = Math.max(busiest ?? 0, Math.min(demand ?? share, 1));
      w.lastTicks = ticks;
      w.lastAtMs = now;
      w.peakShare = Math.max(w.peakShare, Math.min(share, 1));
      shares[index] = Math.min(share, 1);
      w.busySeconds = share > BUSY_SHARE ? w.busySeconds + 1 : 0;
      if (w.busySeconds >= BUSY_SECONDS && !this.#warned) {
        this.#warned = true;
        this.warn(
          `worker ${index + 1} used over ${BUSY_SHARE * 100}% of a CPU core for ${BUSY_SECONDS} s: the results may be bounded by the load generator, not the target (more --workers, more cores, or less work per iteration)`,
        );
      }
    }
    if (shares.length > 0) this.#keep(performance.timeOrigin + performance.now(), Array.from(shares, (v) => v ?? 0));
    if (busiest !== undefined) this.#noteDemand(busiest);
  }

  #noteDemand(share: number): void {
    const t = this.#demand;
    t.push({ atMs: performance.timeOrigin + performance.now(), share });
    if (t.length <= MAX_DEMAND_SAMPLES) return;
    // past the cap, adjacent samples merge (their mean, at the later time): memory stays bounded
    for (let i = 0; i < t.length / 2; i++) {
      const a = t[2 * i]!;
      const b = t[2 * i + 1];
      t[i] = b === undefined ? a : { atMs: b.atMs, share: (a.share + b.share) / 2 };
    }
    t.length = Math.ceil(t.length / 2);
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

  /** Each worker's CPU share over the run so far (one point a second, coalesced past CPU_TIMELINE_MAX_POINTS). */
  timeline(): CpuTimeline {
    return this.#timeline;
  }

  #keep(atMs: number, shares: number[]): void {
    const t = this.#timeline;
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
          cpuShare: (w.lastTicks - w.firstTicks) / TICKS_PER_SECOND / Math.max((w.lastAtMs - w.firstAtMs) / 1000, 1e-3),
          peakCpuShare: w.peakShare,
        })),
        peakRssBytes: Math.max(peakRssBytes, process.resourceUsage().maxRSS * 1024),
        timeline: { atMs: [...this.#timeline.atMs], shares: this.#timeline.shares.map((s) => [...s]) },
      },
    };
  }
}
