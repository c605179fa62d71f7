/**
 * A rate-limited error log for failures inside VU code: the first few occurrences of each message
 * are printed, the rest are counted and summarised, so a failing target cannot flood the terminal.
 */
export class RateLimitedLog {
  readonly #write: (line: string) => void;
  readonly #perMessage: number;
  readonly #seen = new Map<string, number>();
  #suppressed = 0;
  #total = 0;

  constructor(write: (line: string) => void, perMessage = 5) {
    this.#write = write;
    this.#perMessage = perMessage;
  }

  /** Logs `line` unless `key` was already logged `perMessage` times. */
  error(key: string, line: string): void {
    this.#total++;
    const n = (this.#seen.get(key) ?? 0) + 1;
    if (this.#seen.size < 1000 || this.#seen.has(key)) this.#seen.set(key, n);
    if (n <= this.#perMessage) {
      this.#write(n === this.#perMessage ? `${line} (further occurrences are counted, not printed)` : line);
    } else this.#suppressed++;
  }

  /** How many errors were logged or suppressed. */
  get total(): number {
    return this.#total;
  }

  /** How many were not printed. */
  get suppressed(): number {
    return this.#suppressed;
  }
}

/**
 * The location in the user's script where `err` was thrown, from its (source-mapped) stack:
 * 'script.ts:12:7', or undefined.
 */
export function userFrame(err: Error, scriptFile: string | undefined): string | undefined {
  const stack = err.stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(line.trim());
    if (!m) continue;
    const file = (m[1] ?? '').replace(/^file:\/\//, '');
    if (file.includes('node_modules') || file.startsWith('node:')) continue;
    if (/[/\\](dist|engine)[/\\](api|runtime|protocols|metrics)[/\\]/.test(file)) continue;
    if (scriptFile !== undefined && !file.endsWith('.ts') && !file.endsWith('.js') && !file.endsWith('.mjs')) continue;
    const short = file.split(/[/\\]/).slice(-1)[0];
    return `${short}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
