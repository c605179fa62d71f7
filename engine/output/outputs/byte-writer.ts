/**
 * Writes an output's text straight into fixed-size byte chunks, handed on when full or flushed:
 * a sample's line costs a few copies of bytes prepared once per series, not a string per piece
 * (the strings, their joins and their UTF-8 encoding were half of the formatting time, most of it
 * garbage collection).
 */
export class ByteWriter {
  #buf: Buffer;
  #off = 0;

  constructor(
    private readonly chunkBytes: number,
    private readonly onChunk: (chunk: Buffer) => void,
  ) {
    this.#buf = Buffer.allocUnsafe(chunkBytes);
  }

  /** Bytes written and not handed on yet. */
  get pending(): number {
    return this.#off;
  }

  /** Bytes prepared once (a series' line head, a tag column). */
  bytes(b: Uint8Array): void {
    if (this.#off + b.length > this.#buf.length) this.#room(b.length);
    this.#buf.set(b, this.#off);
    this.#off += b.length;
  }

  /** An ASCII string (numbers, times). */
  ascii(s: string): void {
    if (this.#off + s.length > this.#buf.length) this.#room(s.length);
    this.#off += this.#buf.write(s, this.#off, 'latin1');
  }

  /** Any text, UTF-8. */
  text(s: string): void {
    const n = Buffer.byteLength(s);
    if (this.#off + n > this.#buf.length) this.#room(n);
    this.#off += this.#buf.write(s, this.#off, 'utf8');
  }

  /** One byte (an ASCII character code). */
  byte(c: number): void {
    if (this.#off === this.#buf.length) this.#room(1);
    this.#buf[this.#off++] = c;
  }

  /** A whole number 0 ≤ n < 10^width, as exactly `width` digits, trailing zeros dropped (a fraction's digits). */
  fractionDigits(n: number, width: number): void {
    let digits = width;
    while (digits > 1 && n % 10 === 0) {
      n /= 10;
      digits--;
    }
    if (this.#off + digits > this.#buf.length) this.#room(digits);
    for (let i = this.#off + digits - 1; i >= this.#off; i--) {
      this.#buf[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.#off += digits;
  }

  /** Hands on what was written (nothing when empty). */
  flush(): void {
    if (this.#off === 0) return;
    const chunk = this.#buf.subarray(0, this.#off);
    this.#buf = Buffer.allocUnsafe(this.chunkBytes);
    this.#off = 0;
    this.onChunk(chunk);
  }

  #room(n: number): void {
    this.flush();
    if (n > this.#buf.length) this.#buf = Buffer.allocUnsafe(n);
  }
}
