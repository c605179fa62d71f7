import { redactText } from '../redact.js';

/**
 * A rate-limited error log for failures inside VU code, so that a failing target or a buggy
 * script cannot flood the terminal. Lines are redacted (redact.ts): no password in a URL, no
 * Authorization or Cookie value. Errors are grouped by `key` (the caller passes the error's
 * name and where in the script it was thrown, so messages that embed an id or an iteration number
 * still count as one error): the first `perKey` of each are printed, and at most `maxLines` in all
 * per worker. Counting never stops; what is not printed is summed up by `suppressed`.
 */
export class RateLimitedLog {
  readonly #write: (line: string, fields: Readonly<Record<string, string>>) => void;
  readonly #perKey: number;
  readonly #maxLines: number;
  readonly #seen = new Map<string, number>();
  #printed = 0;
  #suppressed = 0;
  #total = 0;

  constructor(write: (line: string, fields: Readonly<Record<string, string>>) => void, opts: { perKey?: number; maxLines?: number } = {}) {
    this.#write = write;
    this.#perKey = opts.perKey ?? 5;
    this.#maxLines = opts.maxLines ?? 100;
  }

  /** Logs `line` (with `fields`) unless `key` was printed `perKey` times already or the log is full. */
  error(key: string, line: string, fields: Readonly<Record<string, string>> = {}): void {
    this.#total++;
    const n = (this.#seen.get(key) ?? 0) + 1;
    // Past 10,000 distinct keys new ones all share one slot, so memory stays bounded.
    this.#seen.set(this.#seen.size < 10_000 || this.#seen.has(key) ? key : '\0overflow', n);
    if (n > this.#perKey || this.#printed >= this.#maxLines) {
      this.#suppressed++;
      return;
    }
    this.#printed++;
    const shown = redactText(line);
    if (this.#printed === this.#maxLines) this.#write(`${shown} (the log is full: further errors are counted, not printed)`, fields);
    else if (n === this.#perKey) this.#write(`${shown} (further occurrences are counted, not printed)`, fields);
    else this.#write(shown, fields);
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
  return userFrames(err.stack ?? '', scriptFile, 1)[0]?.where;
}

/** A frame of the user's script: the function ('' when anonymous) and 'script.ts:12:7'. */
export interface UserFrame {
  fn: string;
  where: string;
}

/** The name esbuild gives a file's anonymous `export default function`: 'my-test.ts' → 'my_test_default'. */
function bundledDefaultName(file: string): string {
  return `${file.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_$]/g, '_')}_default`;
}

/**
 * The user's frames of a stack, innermost first: loadts's own, Node's and node_modules' frames
 * are left out. `fn` is the function's name ('' for anonymous code), `where` 'script.ts:12:7'.
 */
export function userFrames(stack: string, scriptFile: string | undefined, max = 10): UserFrame[] {
  const out: UserFrame[] = [];
  for (const line of stack.split('\n').slice(1)) {
    if (out.length >= max) break;
    const t = line.trim();
    const m = /\(?((?:file:\/\/)?[^\s()]+):(\d+):(\d+)\)?\s*$/.exec(t);
    if (!m) continue;
    const file = (m[1] ?? '').replace(/^file:\/\//, '');
    if (file.includes('node_modules') || file.startsWith('node:')) continue;
    // loadts's own frames: the tsc build (dist/api/…), the bundle (dist/bundle/chunks/…), the source
    if (/[/\\](dist|engine)[/\\](bundle[/\\])?(api|runtime|protocols|metrics|chunks|cli)[/\\]/.test(file)) continue;
    if (scriptFile !== undefined && !file.endsWith('.ts') && !file.endsWith('.js') && !file.endsWith('.mjs')) continue;
    const short = file.split(/[/\\]/).slice(-1)[0];
    const fn = /^at (?:async )?([^\s(]+) \(/.exec(t)?.[1] ?? '';
    out.push({ fn: fn === bundledDefaultName(short ?? '') ? 'default' : fn, where: `${short}:${m[2]}:${m[3]}` });
  }
  return out;
}
