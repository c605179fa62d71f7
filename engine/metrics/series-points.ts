import { MemoryKeeper, type PointKeeper, type Slot } from './point-keeper.js';
import { mergeSnapshots, PointSink } from './point-sink.js';
import type { SinkSnapshot, Tags } from './types.js';

/** A series over the whole run: its points, oldest first (only intervals in which it had samples). */
export interface StoredSeries {
  readonly metric: string;
  readonly key: string;
  readonly tags: Tags;
  /** Interval index of each point (its start is origin + index × intervalMs). */
  readonly index: number[];
  readonly data: SinkSnapshot[];
}

/** Where a store's closed points are kept, and what they hold in bytes, kept up to date. */
export interface PointBytes {
  bytes: number;
  readonly keeper: PointKeeper;
}

/**
 * The points of one series. The last one (`tail`) is still growing: intervals that close into it
 * are added into its counts arrays, and it is encoded once, when the next point starts (on a long run a point
 * covers a minute or more: re-encoding it every second cost 2-3 zlib calls per trend per second).
 * The others are closed and kept encoded, in the store's PointKeeper (a spill file, for a run). When the store doubles its interval, every point
 * must merge with its neighbour. Doing that for every series at once would stop the coordinator
 * for seconds on a long run (30 trend series × 1,000 merges), so the points become `pending` and
 * each `step` merges a few of them, enough to be done well before the next doubling; points closed
 * meanwhile go to `recent`. The series reads as done ++ pending (merged) ++ recent.
 */
export class SeriesPoints {
  #done: Point[] = [];
  #pending: Point[] = [];
  #next = 0;
  /** Pending points merge in groups of 2^#groupShift (their index is in the finer unit). */
  #groupShift = 0;
  /** Pending points to merge per step. */
  #quota = 0;
  #recent: Point[] = [];
  #tail: { index: number; sink: PointSink } | undefined;

  constructor(
    readonly metric: string,
    readonly key: string,
    readonly tags: Tags,
    /** The store's count of the bytes of closed points, kept up to date. */
    private readonly account: PointBytes = { bytes: 0, keeper: new MemoryKeeper() },
  ) {}

  /**
   * Adds a closed interval's data (at least one snapshot) to point `index` (in the current unit):
   * to the tail when it has that index; else the tail is encoded and closed, and a new one starts
   * (in the old one's arrays: no allocation per interval).
   */
  append(index: number, items: readonly SinkSnapshot[]): void {
    let tail = this.#tail;
    if (tail === undefined || tail.index !== index) {
      const sink = this.#closeTail() ?? new PointSink(items[0]!.type);
      tail = this.#tail = { index, sink };
    }
    for (const d of items) tail.sink.addSnapshot(d);
  }

  /** Encodes the tail into the closed points; returns its sink, emptied. */
  #closeTail(): PointSink | undefined {
    const tail = this.#tail;
    if (tail === undefined) return undefined;
    const list = this.#recent.length > 0 || this.#next < this.#pending.length ? this.#recent : this.#done;
    this.#push(list, { index: tail.index, slot: this.account.keeper.put(tail.sink.toSnapshot()) });
    tail.sink.reset();
    this.#tail = undefined;
    return tail.sink;
  }

  /**
   * Appends a closed point, merged into the list's last one when it has the same index (a doubling
   * at any time, by bytes, can leave the next interval in the coarse point the last one ended in).
   */
  #push(list: Point[], point: Point): void {
    const last = list.at(-1);
    if (last === undefined || last.index !== point.index) {
      list.push(point);
      this.account.bytes += point.slot.bytes;
      return;
    }
    const { keeper } = this.account;
    const slot = keeper.put(mergeSnapshots([keeper.get(last.slot), keeper.get(point.slot)]));
    this.account.bytes += slot.bytes - last.slot.bytes;
    last.slot = slot;
  }

  /**
   * The store's interval grew 2^`shift` times: every point merges with its neighbours, a few per
   * `step`, all of them within `steps` steps.
   */
  coarsen(shift: number, steps: number): void {
    this.finish();
    this.#closeTail();
    this.#pending = [...this.#done, ...this.#recent];
    this.#done = [];
    this.#recent = [];
    this.#next = 0;
    this.#groupShift = shift;
    this.#quota = Math.max(2, Math.ceil(this.#pending.length / Math.max(1, steps)));
  }

  /** Merges up to the step's quota of pending points. */
  step(quota = this.#quota): void {
    const pending = this.#pending;
    let read = 0;
    while (this.#next < pending.length && read < quota) {
      const first = this.#next;
      const index = Math.floor(pending[first]!.index / 2 ** this.#groupShift);
      let end = first + 1;
      while (end < pending.length && Math.floor(pending[end]!.index / 2 ** this.#groupShift) === index) end++;
      if (end - first > 1) {
        const { keeper } = this.account;
        const group = pending.slice(first, end).map((p) => p.slot);
        const slot = keeper.put(mergeSnapshots(group.map((g) => keeper.get(g))));
        this.#done.push({ index, slot });
        this.account.bytes += slot.bytes - group.reduce((sum, g) => sum + g.bytes, 0);
      } else this.#done.push({ index, slot: pending[first]!.slot });
      for (let i = first; i < end; i++) pending[i] = RELEASED; // the merged point replaces them
      read += end - first;
      this.#next = end;
    }
    if (this.#next >= pending.length && pending.length > 0) {
      this.#pending = [];
      this.#next = 0;
      for (const p of this.#recent) {
        this.account.bytes -= p.slot.bytes;
        this.#push(this.#done, p);
      }
      this.#recent = [];
    }
  }

  /** Whether points wait to be merged. */
  get pending(): boolean {
    return this.#next < this.#pending.length;
  }

  /** Merges every pending point now. */
  finish(): void {
    this.step(Infinity);
  }

  /** The series as it stands (pending points merged first, the tail encoded): fresh arrays the caller may keep. */
  snapshot(): StoredSeries {
    this.finish();
    const { keeper } = this.account;
    const index = this.#done.map((p) => p.index);
    const data = this.#done.map((p) => keeper.get(p.slot));
    if (this.#tail !== undefined) {
      const tail = this.#tail.sink.toSnapshot();
      if (index.at(-1) === this.#tail.index) data[data.length - 1] = mergeSnapshots([data.at(-1)!, tail]);
      else {
        index.push(this.#tail.index);
        data.push(tail);
      }
    }
    return { metric: this.metric, key: this.key, tags: this.tags, index, data };
  }

  /** The slots of every closed point (the tail's is not one yet). */
  *slots(): Generator<Slot> {
    yield* this.#done.map((p) => p.slot);
    for (let i = this.#next; i < this.#pending.length; i++) yield this.#pending[i]!.slot;
    yield* this.#recent.map((p) => p.slot);
  }

  /** Points held, the tail included (for tests and the bench). */
  get length(): number {
    return this.#done.length + this.#pending.length - this.#next + this.#recent.length + (this.#tail === undefined ? 0 : 1);
  }
}

interface Point {
  index: number;
  slot: Slot;
}

const RELEASED: Point = { index: -1, slot: { bytes: 0 } };
