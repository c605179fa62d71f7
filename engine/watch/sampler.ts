import { readdirSync, readFileSync } from 'node:fs';
import pidtree from 'pidtree';
import pidusage from 'pidusage';

/** One sample of the watched target: its process and its children, summed. */
export interface TargetSample {
  /** Wall-clock ms. */
  atMs: number;
  rssBytes: number;
  /** CPU %, 100 = one core, since the previous sample. */
  cpuPercent: number;
  /** Open file descriptors (Linux: /proc/PID/fd); undefined elsewhere. */
  fds: number | undefined;
  /** Threads (Linux: /proc/PID/status); undefined elsewhere. */
  threads: number | undefined;
  /** Processes sampled (the target and its children). */
  processes: number;
}

function countFds(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

function countThreads(pid: number): number | undefined {
  try {
    const m = /^Threads:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? undefined : Number(m[1]);
  } catch {
    return undefined;
  }
}

function sum(values: Array<number | undefined>): number | undefined {
  return values.some((v) => v === undefined) ? undefined : values.reduce<number>((a, v) => a + v!, 0);
}

/**
 * Samples a process tree with pidusage (RSS and CPU % on Linux, macOS, Windows and the BSDs) and
 * pidtree (the children: `ps` on Unix, `wmic`/PowerShell on Windows); open descriptors and threads
 * come from /proc, so only on Linux. Undefined once the target process is gone.
 */
export async function sampleTarget(pid: number): Promise<TargetSample | undefined> {
  let pids: number[];
  try {
    pids = await pidtree(pid, { root: true });
  } catch {
    pids = [pid];
  }
  let stats: Record<string, { cpu: number; memory: number }>;
  try {
    stats = await pidusage(pids);
  } catch {
    // a child may end between the two calls: try the target alone
    try {
      stats = await pidusage([pid]);
      pids = [pid];
    } catch {
      return undefined;
    }
  }
  const alive = pids.filter((p) => stats[String(p)] !== undefined);
  if (!alive.includes(pid)) return undefined;
  const linux = process.platform === 'linux';
  return {
    atMs: Date.now(),
    rssBytes: alive.reduce((a, p) => a + stats[String(p)]!.memory, 0),
    cpuPercent: alive.reduce((a, p) => a + stats[String(p)]!.cpu, 0),
    fds: linux ? sum(alive.map(countFds)) : undefined,
    threads: linux ? sum(alive.map(countThreads)) : undefined,
    processes: alive.length,
  };
}

/** Forgets pidusage's CPU history (call at the end of a watch). */
export function clearSamplerHistory(): void {
  pidusage.clear();
}
