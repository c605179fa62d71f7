import { mkdir, open } from 'node:fs/promises';
import { dirname, resolve as resolvePath } from 'node:path';
import type { Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { toError } from '../../errors.js';
import { unwritableReason } from '../write-results.js';
import { ByteWriter } from './byte-writer.js';

/**
 * zlib's fastest level: NDJSON and CSV still shrink ~20-30× (level 6: ~30-40×), for a third of
 * the CPU (60 MB of NDJSON: 0.21 s at level 1, 0.65 s at level 6), CPU a load generator needs.
 */
const GZIP_LEVEL = 1;
/** Bytes collected before they are handed to the stream as one chunk. */
const CHUNK_BYTES = 256 * 1024;
/** What a stream takes before it asks to wait (Node's default, 16 KiB, is less than one chunk). */
const STREAM_BUFFER_BYTES = 4 * CHUNK_BYTES;
/** How often collected bytes are written when no chunk fills up (k6's json output flushes every 200 ms). */
export const FLUSH_INTERVAL_MS = 200;

/** Where a FileSink writes: a file (gzip-compressed when asked), or a stream it does not own (stdout). */
export type SinkTarget = { path: string; gzip: boolean } | { stream: Writable; name: string };

/**
 * A file an output writes while the test runs, without ever making the caller wait: the output
 * writes into `out` (byte chunks); a chunk goes to the stream when full or on a timer, and when
 * the stream asks to wait (its buffer is full: a slow disk, or gzip behind), chunks queue here
 * until it drains, so the coordinator never blocks and never feeds a stream past its high-water
 * mark. gzip runs on libuv's thread pool. A stream error is kept and thrown by `close`, the
 * output's stop(); what is written after an error is dropped.
 */
export class FileSink {
  /** Where the output writes its text. */
  readonly out: ByteWriter;
  readonly #head: Writable;
  readonly #done: Promise<void>;
  readonly #owned: boolean;
  readonly #timer: NodeJS.Timeout;
  readonly #queue: Buffer[] = [];
  #queuedBytes = 0;
  #waiting = false;
  #error: Error | undefined;
  #closed = false;
  /** Most bytes waiting in the queue at once (for the output's cost in docs/performance.md). */
  maxQueuedBytes = 0;

  private constructor(head: Writable, done: Promise<void>, owned: boolean, flushIntervalMs: number) {
    this.#head = head;
    this.#owned = owned;
    this.out = new ByteWriter(CHUNK_BYTES, (chunk) => this.#write(chunk));
    this.#done = done.catch((e: unknown) => this.#fail(toError(e)));
    head.on('drain', () => this.#drain());
    head.on('error', (e) => this.#fail(e));
    this.#timer = setInterval(() => this.out.flush(), flushIntervalMs);
    this.#timer.unref();
  }

  /**
   * Opens (creates or truncates) the file, creating its folder. Rejects with one line naming the
   * file and why it cannot be written.
   */
  static async open(target: SinkTarget, flushIntervalMs = FLUSH_INTERVAL_MS): Promise<FileSink> {
    if ('stream' in target) return new FileSink(target.stream, Promise.resolve(), false, flushIntervalMs);
    const { path } = target;
    const why = unwritableReason(path);
    if (why !== undefined) throw new Error(`cannot write ${path}: ${why}`);
    let file: Writable;
    try {
      await mkdir(dirname(path), { recursive: true });
      file = (await open(path, 'w')).createWriteStream({ highWaterMark: STREAM_BUFFER_BYTES });
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      throw new Error(`cannot write ${path}: ${err.code ?? err.message}`);
    }
    if (!target.gzip) return new FileSink(file, finished(file), true, flushIntervalMs);
    // highWaterMark is a stream option zlib passes on (@types/node's ZlibOptions does not list it).
    const options = { level: GZIP_LEVEL, highWaterMark: STREAM_BUFFER_BYTES };
    const gzip = createGzip(options);
    return new FileSink(gzip, pipeline(gzip, file), true, flushIntervalMs);
  }

  /** A full chunk: to the stream, or to the queue while the stream wants to wait. */
  #write(chunk: Buffer): void {
    if (this.#error !== undefined || this.#closed) return;
    if (this.#waiting) {
      this.#queue.push(chunk);
      this.#queuedBytes += chunk.length;
      if (this.#queuedBytes > this.maxQueuedBytes) this.maxQueuedBytes = this.#queuedBytes;
      return;
    }
    if (!this.#head.write(chunk)) this.#waiting = true;
  }

  #drain(): void {
    this.#waiting = false;
    while (this.#queue.length > 0 && !this.#waiting && this.#error === undefined) {
      const chunk = this.#queue.shift()!;
      this.#queuedBytes -= chunk.length;
      if (!this.#head.write(chunk)) this.#waiting = true;
    }
    if (!this.#waiting) this.#onDrained?.();
  }

  #fail(e: Error): void {
    this.#error ??= e;
    this.#onDrained?.();
  }

  /** Called once the queue is written, or on an error (close waits for either). */
  #onDrained: (() => void) | undefined;

  /**
   * Writes everything, ends the stream (a gzip stream gets its trailer) and waits until the file is
   * closed. Throws the stream's error, if it had one.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    clearInterval(this.#timer);
    this.out.flush();
    this.#closed = true;
    if (this.#waiting && this.#error === undefined) await new Promise<void>((r) => (this.#onDrained = r));
    if (this.#owned && this.#error === undefined) {
      this.#head.end();
      await this.#done;
    }
    if (this.#error !== undefined) throw new Error(describe(this.#error));
  }
}

function describe(e: Error): string {
  const code = (e as NodeJS.ErrnoException).code;
  return code !== undefined ? `${code} (${e.message})` : e.message;
}

/**
 * Where `--out NAME=ARG` writes: a file relative to the working directory, gzip-compressed when its
 * name ends in .gz (as k6), or stdout for '-' or no argument where the output allows it (k6's json
 * and csv). Returns undefined when there is neither.
 */
export function sinkTargetOf(arg: string | undefined, cwd: string, stdout: Writable | undefined): SinkTarget | undefined {
  const name = arg?.trim() ?? '';
  if (name === '' || name === '-') return stdout === undefined ? undefined : { stream: stdout, name: 'stdout' };
  return { path: resolvePath(cwd, name), gzip: name.toLowerCase().endsWith('.gz') };
}

/** For an output's description: the file as the user named it, or 'stdout'. */
export function targetName(target: SinkTarget, arg: string | undefined): string {
  return 'stream' in target ? target.name : (arg?.trim() ?? target.path);
}
