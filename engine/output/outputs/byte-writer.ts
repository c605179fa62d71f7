/**
 * Writes an output's text straight into fixed-size byte chunks, handed on when full or flushed:
 * a sample's line costs a few copies of bytes prepared once per series, not a string per piece
 * (the strings, their joins and their UTF-8 encoding were half of the formatting time, most of it
 * garbage collection).
 */
/** Whole numbers below this are exact doubles. */
const MAX_EXACT = 2 ** 53;

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

  /**
   * A finite number in the shortest form that reads back exactly, as JavaScript's String() and Go's
   * encoding/json write it ('1', '23.901074399999988', '1e-7'); whole numbers without a string.
   */
  number(v: number): void {
    if (Number.isInteger(v) && v < MAX_EXACT && v > -MAX_EXACT) this.#integer(v);
    else this.ascii(String(v));
  }

  /**
   * A time in ms to the nanosecond, as k6's Go durations are ('23.901074', '0.0125', '3'):
   * the digits past a nanosecond are float noise from subtracting clock readings.
   */
  millis(v: number): void {
    let ns = Math.round(v * 1e6);
    if (!(ns < MAX_EXACT && ns > -MAX_EXACT)) return this.number(v);
    if (ns < 0) {
      this.byte(45); // '-'
      ns = -ns;
    }
    const whole = Math.floor(ns / 1e6);
    this.#integer(whole);
    const frac = ns - whole * 1e6;
    if (frac !== 0) {
      this.byte(46); // '.'
      this.fractionDigits(frac, 6);
    }
  }

  /** A number with exactly six decimals, as Go's %f ('1.000000', '23.901074'). */
  fixed6(v: number): void {
    let micro = Math.round(v * 1e6);
    if (!(micro < MAX_EXACT && micro > -MAX_EXACT)) return this.ascii(v.toFixed(6));
    if (micro < 0) {
      this.byte(45);
      micro = -micro;
    }
    const whole = Math.floor(micro / 1e6);
    this.#integer(whole);
    this.byte(46);
    this.#digits(micro - whole * 1e6, 6);
  }

  #integer(n: number): void {
    if (n < 0) {
      this.byte(45);
      n = -n;
    }
    let width = 1;
    for (let p = 10; p <= n; p *= 10) width++;
    this.#digits(n, width);
  }

  /** `n` as exactly `width` digits (zeros in front). */
  #digits(n: number, width: number): void {
    if (this.#off + width > this.#buf.length) this.#room(width);
    for (let i = this.#off + width - 1; i >= this.#off; i--) {
      this.#buf[i] = 48 + (n % 10);
      n = Math.floor(n / 10);
    }
    this.#off += width;
  }

  /** A whole number 0 ≤ n < 10^width, as exactly `width` digits, trailing zeros dropped (a fraction's digits). */
  fractionDigits(n: number, width: number): void {
    let digits = width;
    while (digits > 1 && n % 10 === 0) {
      n /= 10;
      digits--;
    }
    this.#digits(n, digits);
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
