import { MetricsRegistry } from '../metrics/registry.js';
import { TagSet } from '../metrics/tags.js';
import type { MetricsSnapshot, Tags } from '../metrics/types.js';
import { judgeLeak } from './leak.js';
import { clearSamplerHistory, sampleTarget, type TargetSample } from './sampler.js';
import type { TargetRecord } from './types.js';

export type { TargetRecord } from './types.js';

/** What to watch: a process (and its children), started by loadts (`command`) or not. */
export interface WatchSpec {
  pid: number;
  command?: string;
}


/** Samples kept at most (a day at one a second); past it, every other one is dropped. */
const MAX_SAMPLES = 86_400;

/**
 * Watches the target once a second (engine/watch/sampler.ts): each sample becomes the metrics
 * target_rss, target_cpu, target_fds and target_threads (trends, so thresholds can use max or
 * p(95)), merged like the workers' snapshots; at the end the RSS trend is judged for a leak and
 * target_rss_growth set for thresholds.
 */
export class TargetWatch {
  readonly #registry = new MetricsRegistry();
  readonly #tags: TagSet;
  readonly #m;
  readonly #samples: TargetSample[] = [];
  #timer: NodeJS.Timeout | undefined;
  #gone: string | undefined;
  #busy = false;

  constructor(
    readonly spec: WatchSpec,
    tags: Tags,
    private readonly merge: (s: MetricsSnapshot) => void,
    /** Each sample as it comes (the coordinator hands it to the VUs: exec.target). */
    private readonly onSample: (s: TargetSample) => void = () => {},
  ) {
    this.#tags = TagSet.EMPTY.withAll(tags);
    const r = this.#registry;
    this.#m = { rss: r.define('target_rss', 'trend', 'data'), cpu: r.define('target_cpu', 'trend'), fds: r.define('target_fds', 'trend'), threads: r.define('target_threads', 'trend'), growth: r.define('target_rss_growth', 'gauge', 'data') };
  }

  start(): void {
    void this.#tick();
    this.#timer = setInterval(() => void this.#tick(), 1000);
    this.#timer.unref();
  }

  async #tick(): Promise<void> {
    if (this.#busy || this.#gone !== undefined) return;
    this.#busy = true;
    try {
      const s = await sampleTarget(this.spec.pid);
      if (s === undefined) {
        this.#gone = `the watched target (pid ${this.spec.pid}) ended during the run`;
        return;
      }
      if (this.#samples.length >= MAX_SAMPLES) this.#samples.splice(0, this.#samples.length, ...this.#samples.filter((_, i) => i % 2 === 0));
      this.#samples.push(s);
      const r = this.#registry;
      r.add(this.#m.rss, this.#tags, s.rssBytes);
      r.add(this.#m.cpu, this.#tags, s.cpuPercent);
      if (s.fds !== undefined) r.add(this.#m.fds, this.#tags, s.fds);
      if (s.threads !== undefined) r.add(this.#m.threads, this.#tags, s.threads);
      this.merge(r.takeSnapshot());
      this.onSample(s);
    } finally {
      this.#busy = false;
    }
  }

  /** Why the watch stopped early, if it did. */
  get gone(): string | undefined {
    return this.#gone;
  }

  /**
   * Stops sampling, judges the RSS trend of the samples taken in [fromMs, toMs] (the load), sets
   * target_rss_growth (the lower end of the slope's interval, at least 0: the growth that is sure)
   * and returns the record's `target`.
   */
  finish(fromMs: number, toMs: number): TargetRecord {
    this.stop();
    const s = this.#samples;
    const leak = judgeLeak(s.filter((x) => x.atMs >= fromMs && x.atMs <= toMs + 1000));
    if (leak.interval !== undefined) {
      this.#registry.add(this.#m.growth, this.#tags, Math.max(0, leak.interval[0]));
      this.merge(this.#registry.takeSnapshot());
    }
    return {
      pid: this.spec.pid,
      ...(this.spec.command === undefined ? {} : { command: this.spec.command }),
      samples: { atMs: s.map((x) => x.atMs), rssBytes: s.map((x) => x.rssBytes), cpuPercent: s.map((x) => x.cpuPercent), fds: s.map((x) => x.fds ?? null), threads: s.map((x) => x.threads ?? null) },
      leak,
      ...(this.#gone === undefined ? {} : { gone: this.#gone }),
    };
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    clearSamplerHistory();
  }
}
