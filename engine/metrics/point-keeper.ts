import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SinkSnapshot } from './types.js';

/** Where a kept point is, and what it holds in bytes (its share of the store's byte budget). */
export interface Slot {
  readonly bytes: number;
}

/**
 * Where the time series keeps its closed points (series-points.ts): one small interface, two
 * keepers. A run's coordinator spills them to a file (SpillKeeper), so its memory does not grow
 * with the run; merging records and tests keep them in memory (MemoryKeeper).
 */
export interface PointKeeper {
  /** Keeps a point's data; returns where it is. */
  put(data: SinkSnapshot): Slot;
  /** The data of a slot put earlier (a fresh object: the caller may keep it). */
  get(slot: Slot): SinkSnapshot;
  /** Every put so far is stored (a keeper may batch its writes until then). */
  flush(): void;
  /** Done: frees what the points held (a spill file is removed). Slots are invalid afterwards. */
  close(): void;
}

/** A closed point's size in memory: its encoded histograms (one byte a character) and ~100 bytes of objects. */
export function pointBytes(data: SinkSnapshot): number {
  return 100 + (data.type === 'trend' ? data.hdr.length + data.negHdr.length : 0);
}

interface MemorySlot extends Slot {
  readonly data: SinkSnapshot;
}

/** Points kept as they are, on the heap. */
export class MemoryKeeper implements PointKeeper {
  put(data: SinkSnapshot): Slot {
    const slot: MemorySlot = { bytes: pointBytes(data), data };
    return slot;
  }

  get(slot: Slot): SinkSnapshot {
    return (slot as MemorySlot).data;
  }

  flush(): void {}
  close(): void {}
}

interface FileSlot extends Slot {
  /** Byte offset in the file. */
  readonly at: number;
}

/**
 * Points kept in a temporary file, as JSON (what the record writes them as, so nothing is lost that
 * the record would keep), appended in one write per flush; only a 2-number slot per point stays in
 * memory. The file is removed as soon as it is open (Linux keeps it until the descriptor closes, so
 * even a killed process leaves nothing behind), or else at close. Points merged when the store
 * coarsens leave their old bytes in the file: it holds at most a few times what the points hold.
 */
export class SpillKeeper implements PointKeeper {
  readonly #fd: number;
  readonly #dir: string;
  #removed = false;
  /** Bytes written to the file, and the puts not yet written. */
  #written = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #buffer = Buffer.alloc(0);

  /** @throws the file system's error when `dir` cannot hold a temporary file */
  constructor(dir: string = tmpdir()) {
    this.#dir = mkdtempSync(join(dir, 'loadts-series-'));
    this.#fd = openSync(join(this.#dir, 'points.jsonl'), 'w+', 0o600);
    try {
      rmSync(this.#dir, { recursive: true, force: true });
      this.#removed = true;
    } catch {
      // removed at close()
    }
  }

  /** Bytes in the file: the points' and the old bytes of points merged since (flushed or not). */
  get fileBytes(): number {
    return this.#written + this.#pendingBytes;
  }

  put(data: SinkSnapshot): Slot {
    const text = `${JSON.stringify(data)}\n`;
    const bytes = Buffer.byteLength(text);
    const slot: FileSlot = { bytes, at: this.#written + this.#pendingBytes };
    this.#pending.push(text);
    this.#pendingBytes += bytes;
    return slot;
  }

  get(slot: Slot): SinkSnapshot {
    const { at, bytes } = slot as FileSlot;
    if (at + bytes > this.#written) this.flush();
    if (this.#buffer.length < bytes) this.#buffer = Buffer.alloc(Math.max(bytes, 2 * this.#buffer.length, 64 * 1024));
    let read = 0;
    while (read < bytes) {
      const n = readSync(this.#fd, this.#buffer, read, bytes - read, at + read);
      if (n === 0) throw new Error(`the time series' spill file ends at ${at + read} bytes, before the point at ${at}`);
      read += n;
    }
    return JSON.parse(this.#buffer.toString('utf8', 0, bytes)) as SinkSnapshot;
  }

  flush(): void {
    if (this.#pendingBytes === 0) return;
    const chunk = Buffer.from(this.#pending.join(''));
    let done = 0;
    while (done < chunk.length) done += writeSync(this.#fd, chunk, done, chunk.length - done, this.#written + done);
    this.#written += chunk.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  close(): void {
    closeSync(this.#fd);
    if (!this.#removed) rmSync(this.#dir, { recursive: true, force: true });
    this.#removed = true;
  }
}
