import { readFileSync } from 'node:fs';

/** Linux's clock ticks per second for /proc's CPU times (USER_HZ, 100 on every mainstream architecture). */
export const TICKS_PER_SECOND = 100;

/** CPU ticks (user + system) of one of this process's threads, from /proc; undefined off Linux. */
export function threadTicks(tid: number): number | undefined {
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
export function threadDemandNs(tid: number): number | undefined {
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

/** Share of a core from CPU ticks over `ms`, within 0..1 (ticks are 10 ms: a short window can read past 1); undefined for no time. */
export function tickShare(ticks: number, ms: number): number | undefined {
  return ms <= 0 ? undefined : Math.min(1, Math.max(0, ticks / TICKS_PER_SECOND / (ms / 1000)));
}
