import { readFileSync } from 'node:fs';
import { cpus, freemem, hostname, loadavg, release, arch, platform, totalmem, type as osType } from 'node:os';
import type { EnvironmentRecord } from '../record/types.js';
import type { LoopTimes } from './protocol.js';
import { loadtsVersion } from '../options/version.js';

/**
 * A worker whose event loop is busy more than this share of the time, for BUSY_SECONDS samples in a
 * row, bounds the results.
 */
export const BUSY_SHARE = 0.9;
export const BUSY_SECONDS = 5;
/** Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every mainstream architecture). */
const TICKS_PER_SECOND = 100;

/** One worker thread's load: its event loop (every platform) and its CPU time (Linux). */
interface WorkerLoad {
  cpu: { tid: number; firstTicks: number; firstAtMs: number; lastTicks: number; lastAtMs: number; peakShare: number; lastShare: number } | undefined;
  loop: { first: LoopTimes; last: LoopTimes; peakShare: number } | undefined;
  busySeconds: number;
}

/** What the load phase knows of worker `index`: its Linux thread id and its event loop's times, from its last status. */
export type WorkerProbe = (index: number) => { tid: number | undefined; loop: LoopTimes | undefined };

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

  constructor(private readonly warn: (line: string) => void) {}

  /** Takes one sample of each of the `count` load workers (call about once a second). */
  sample(count: number, probe: WorkerProbe): void {
    for (let index = 0; index < count; index++) {
      const { tid, loop } = probe(index);
      let w = this.#workers.get(index);
      if (w === undefined) this.#workers.set(index, (w = { cpu: undefined, loop: undefined, busySeconds: 0 }));
      sampleCpu(w, tid);
      const busy = sampleLoop(w, loop);
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
      },
    };
  }
}

/** Share of a core from CPU ticks over `ms`, within 0..1 (ticks are 10 ms: a short window can read past 1); undefined for no time. */
function share(ticks: number, ms: number): number | undefined {
  return ms <= 0 ? undefined : Math.min(1, Math.max(0, ticks / TICKS_PER_SECOND / (ms / 1000)));
}

function sampleCpu(w: WorkerLoad, tid: number | undefined): void {
  if (tid === undefined) return;
  const ticks = threadTicks(tid);
  if (ticks === undefined) return;
  const now = performance.now();
  if (w.cpu === undefined || w.cpu.tid !== tid) {
    w.cpu = { tid, firstTicks: ticks, firstAtMs: now, lastTicks: ticks, lastAtMs: now, peakShare: 0, lastShare: 0 };
    return;
  }
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
