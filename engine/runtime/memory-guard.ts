import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';

/** The default memory limit: this share of the machine's memory (or of the cgroup's limit). */
export const DEFAULT_LIMIT_SHARE = 0.9;
/** The guard warns once the process passes this share of its limit. */
export const WARN_SHARE = 0.8;

/** The memory this process may use: the cgroup's limit (a container's) when there is one, else the machine's. */
export function availableMemoryBytes(): number {
  const total = totalmem();
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  return constrained > 0 && constrained < total ? constrained : total;
}

/** Node's own default heap limit for this machine, MiB: each worker thread's default heap limit. */
export function defaultWorkerHeapMb(): number {
  return Math.round(getHeapStatistics().heap_size_limit / 2 ** 20);
}

/**
 * Parses a memory size: '512MB', '2GB', '1.5GiB', '80%' (of the available memory), or a number of
 * MiB. Returns bytes, or undefined when the text is not a size.
 */
export function parseMemorySize(text: string, available = availableMemoryBytes()): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(%|b|kb|kib|mb|mib|gb|gib)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const n = Number(m[1]);
  const unit = (m[2] ?? 'mb').toLowerCase();
  if (unit === '%') return n > 0 && n <= 100 ? Math.floor((available * n) / 100) : undefined;
  const scale: Record<string, number> = { b: 1, kb: 1e3, kib: 2 ** 10, mb: 2 ** 20, mib: 2 ** 20, gb: 2 ** 30, gib: 2 ** 30 };
  const bytes = Math.floor(n * scale[unit]!);
  return bytes > 0 ? bytes : undefined;
}

/**
 * Watches the process's resident memory (every worker thread is part of it) once a second while
 * the load runs: past WARN_SHARE of the limit it warns once; past the limit it asks the run to stop
 * gracefully, so results are written before the operating system would kill the process with
 * nothing written. It also keeps the peak.
 */
export class MemoryGuard {
  readonly limitBytes: number;
  #warned = false;
  #tripped = false;
  peakRssBytes = 0;

  constructor(
    limitBytes: number,
    private readonly on: { warn(rssBytes: number): void; limit(rssBytes: number): void },
    private readonly rss: () => number = () => process.memoryUsage.rss(),
  ) {
    this.limitBytes = limitBytes;
  }

  /** Takes one sample (call about once a second). */
  sample(): void {
    const rss = this.rss();
    if (rss > this.peakRssBytes) this.peakRssBytes = rss;
    if (!this.#warned && rss > this.limitBytes * WARN_SHARE) {
      this.#warned = true;
      this.on.warn(rss);
    }
    if (!this.#tripped && rss > this.limitBytes) {
      this.#tripped = true;
      this.on.limit(rss);
    }
  }
}

/** '1.2 GiB', '350 MiB'. */
export function formatBytes(bytes: number): string {
  return bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;
}
