import type { Metric } from './registry.js';
import type { TagSet } from './tags.js';
import type { Tags } from './types.js';

/** A batch of raw samples as a worker sends it (its buffers are transferred, not copied). */
export interface SampleMessage {
  kind: 'samples';
  /** Series first seen in this batch: id → metric and tags (ids are this worker's own). */
  newSeries: Array<{ id: number; metric: string; tags: Tags }>;
  length: number;
  ids: Int32Array;
  values: Float64Array;
  times: Float64Array;
}

/** Samples a batch holds before it is sent early (a full one, even between reports). */
const BATCH_SAMPLES = 16_384;
/** Read once: a getter costs ~100 ns a call on Node 20. */
const TIME_ORIGIN = performance.timeOrigin;

/**
 * Every raw sample of a worker, for outputs that write them (k6's JSON and CSV): the metrics
 * registry hands each one here when a raw-sample output is on, and nothing when none is. A sample
 * costs an id lookup by TagSet identity and three typed-array writes; batches go to the
 * coordinator with the metric reports (or when full), their buffers transferred. The clock is read
 * once per synchronous stretch of code (a request's 11 samples are recorded together, and one
 * performance.now() costs 100-300 ns here): the samples recorded in it share that time.
 */
export class SampleTap {
  readonly #ids: Array<Map<TagSet, number>> = [];
  #newSeries: SampleMessage['newSeries'] = [];
  #nextId = 0;
  #length = 0;
  #ids32 = new Int32Array(BATCH_SAMPLES);
  #values = new Float64Array(BATCH_SAMPLES);
  #times = new Float64Array(BATCH_SAMPLES);
  readonly #send: (m: SampleMessage) => void;

  constructor(send: (m: SampleMessage) => void) {
    this.#send = send;
  }

  record(metric: Metric, tags: TagSet, value: number): void {
    let byTags = this.#ids[metric.id];
    if (byTags === undefined) this.#ids[metric.id] = byTags = new Map();
    let id = byTags.get(tags);
    if (id === undefined) {
      id = this.#nextId++;
      byTags.set(tags, id);
      this.#newSeries.push({ id, metric: metric.def.name, tags: { ...tags.tags } });
    }
    const i = this.#length++;
    this.#ids32[i] = id;
    this.#values[i] = value;
    let now = this.#now;
    if (now !== now) {
      now = this.#now = TIME_ORIGIN + performance.now();
      queueMicrotask(this.#forgetNow);
    }
    this.#times[i] = now;
    if (this.#length === BATCH_SAMPLES) this.flush();
  }

  /** The clock as read in this synchronous stretch of code (NaN: not read yet). */
  #now = NaN;
  readonly #forgetNow = () => {
    this.#now = NaN;
  };

  /** Sends what is buffered (nothing when empty). */
  flush(): void {
    if (this.#length === 0 && this.#newSeries.length === 0) return;
    const m: SampleMessage = { kind: 'samples', newSeries: this.#newSeries, length: this.#length, ids: this.#ids32, values: this.#values, times: this.#times };
    this.#newSeries = [];
    this.#length = 0;
    this.#ids32 = new Int32Array(BATCH_SAMPLES);
    this.#values = new Float64Array(BATCH_SAMPLES);
    this.#times = new Float64Array(BATCH_SAMPLES);
    this.#send(m);
  }
}
