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
  /**
   * Drops what no slot of `live` (every slot in use, `liveBytes` in all) needs any more, when it
   * is worth it (a spill file's merged points); slots stay valid.
   */
  compact(live: Iterable<Slot>, liveBytes: number): void;
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
  compact(): void {}
  close(): void {}
}

interface FileSlot extends Slot {
  /** Byte offset in the file (moved by a compaction). */
  at: number;
}

/** A spill file: created in a fresh folder under `parent`, which is removed at once where it can be. */
interface SpillFile {
  readonly fd: number;
  readonly dir: string;
  removed: boolean;
}

function openSpill(parent: string): SpillFile {
  const dir = mkdtempSync(join(parent, 'loadts-series-'));
  const file: SpillFile = { fd: openSync(join(dir, 'points.jsonl'), 'w+', 0o600), dir, removed: false };
  try {
    rmSync(dir, { recursive: true, force: true });
    file.removed = true;
  } catch {
    // removed when the file is closed
  }
  return file;
}

function closeSpill(file: SpillFile): void {
  closeSync(file.fd);
  if (!file.removed) rmSync(file.dir, { recursive: true, force: true });
  file.removed = true;
}

/** The most a spill file may hold besides its live points before it is compacted. */
const SLACK_BYTES = 32 * 2 ** 20;

/**
 * Points kept in a temporary file, as JSON (what the record writes them as, so nothing is lost that
 * the record would keep), appended in one write per flush; only a 2-number slot per point stays in
 * memory. The file is removed as soon as it is open (Linux keeps it until the descriptor closes, so
 * even a killed process leaves nothing behind), or else at close. Points merged when the store
 * coarsens leave their old bytes behind; `compact` copies the live ones to a new file when the old
 * bytes outweigh them.
 */
export class SpillKeeper implements PointKeeper {
  readonly #parent: string;
  readonly #slack: number;
  #file: SpillFile;
  /** Bytes written to the file, and the puts not yet written. */
  #written = 0;
  #pending: string[] = [];
  #pendingBytes = 0;
  #buffer = Buffer.alloc(0);
  /** Compactions so far (for tests and the bench). */
  compactions = 0;

  /**
   * `slackBytes`: what the file may hold besides twice its live points before it is compacted.
   * @throws the file system's error when `dir` cannot hold a temporary file
   */
  constructor(dir: string = tmpdir(), slackBytes = SLACK_BYTES) {
    this.#parent = dir;
    this.#slack = slackBytes;
    this.#file = openSpill(dir);
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
    this.#read(at, bytes);
    return JSON.parse(this.#buffer.toString('utf8', 0, bytes)) as SinkSnapshot;
  }

  /** Reads `bytes` at `at` into the start of #buffer. */
  #read(at: number, bytes: number): void {
    if (this.#buffer.length < bytes) this.#buffer = Buffer.alloc(Math.max(bytes, 2 * this.#buffer.length, 64 * 1024));
    let read = 0;
    while (read < bytes) {
      const n = readSync(this.#file.fd, this.#buffer, read, bytes - read, at + read);
      if (n === 0) throw new Error(`the time series' spill file ends at ${at + read} bytes, before the point at ${at}`);
      read += n;
    }
  }

  flush(): void {
    if (this.#pendingBytes === 0) return;
    const chunk = Buffer.from(this.#pending.join(''));
    writeAll(this.#file.fd, chunk, chunk.length, this.#written);
    this.#written += chunk.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  /**
   * When the file holds more than twice `liveBytes` (and the slack, 32 MiB, besides), copies the points of
   * `live` (every slot still in use, `liveBytes` in all) to a new file, byte for byte, and moves
   * their slots there; the old file goes. A copy of what the points hold, at most once per
   * coalescing of the store.
   */
  compact(live: Iterable<Slot>, liveBytes: number): void {
    if (this.fileBytes <= 2 * liveBytes + this.#slack) return;
    this.flush();
    const slots = [...live].map((s) => s as FileSlot).sort((a, b) => a.at - b.at);
    const next = openSpill(this.#parent);
    let written = 0;
    for (const slot of slots) {
      this.#read(slot.at, slot.bytes);
      writeAll(next.fd, this.#buffer, slot.bytes, written);
      slot.at = written;
      written += slot.bytes;
    }
    closeSpill(this.#file);
    this.#file = next;
    this.#written = written;
    this.compactions++;
  }

  close(): void {
    closeSpill(this.#file);
  }
}

function writeAll(fd: number, buf: Buffer, length: number, position: number): void {
  let done = 0;
  while (done < length) done += writeSync(fd, buf, done, length - done, position + done);
}
