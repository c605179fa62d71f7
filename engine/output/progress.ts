import type { Writable } from 'node:stream';
import chalk, { Chalk } from 'chalk';

/** What the progress display shows; read from the provider at every refresh. */
export interface ProgressState {
  elapsedMs: number;
  /** Active VUs and initialized VUs (k6's `10/10 VUs`). */
  vus: number;
  vusMax: number;
  /** Complete and interrupted iterations so far. */
  iterations: number;
  interrupted: number;
  scenarios: Array<{ name: string; executor: string; /** 0..1 */ progress: number; /** right of the bar */ detail: string }>;
  /**
   * Longest the test can run (durations plus graceful stops). Sizes the clock as k6 does, so it
   * does not change width mid-run ('05.2s' below a minute, '0m05.2s' below ten, '00m05.2s' below
   * an hour). Without it the clock has at least minutes: '0m05.2s'.
   */
  maxDurationMs?: number;
}

export interface ProgressOptions {
  stream: NodeJS.WriteStream | Writable;
  /** Redraw in place (ANSI cursor moves); otherwise print a line now and then. */
  isTTY: boolean;
  /** Print nothing at all. */
  quiet: boolean;
  enableColors: boolean;
  /** Refresh period: default 200 ms on a TTY, 5000 ms otherwise. */
  intervalMs?: number;
}

const BAR_WIDTH = 40;
const TTY_INTERVAL_MS = 200;
const PLAIN_INTERVAL_MS = 5000;

/**
 * k6's fixed-width clock (ui/pb GetFixedLengthDuration): tenths of a second, with as many leading
 * fields as `maxMs` needs: '5.2s', '05.2s', '0m05.2s', '00m05.2s', '0h00m05.2s', '1d00h00m05.2s'.
 */
export function fixedLengthDuration(ms: number, maxMs: number): string {
  const tenths = Math.round(Math.abs(ms) / 100);
  const max = Math.round(Math.max(Math.abs(maxMs), Math.abs(ms)) / 100) * 100;
  const t = tenths % 10;
  const secs = Math.floor(tenths / 10);
  const s = secs % 60;
  const mins = Math.floor(secs / 60);
  const m = mins % 60;
  const hours = Math.floor(mins / 60);
  const h = hours % 24;
  const days = Math.floor(hours / 24);
  const ss = `${String(s).padStart(2, '0')}.${t}s`;
  if (max < 10_000) return ss.slice(1);
  if (max < 60_000) return ss;
  if (max < 600_000) return `${m % 10}m${ss}`;
  if (max < 3_600_000) return `${String(m).padStart(2, '0')}m${ss}`;
  const hm = `${String(h).padStart(2, '0')}h${String(m).padStart(2, '0')}m${ss}`;
  if (max < 36_000_000) return hm.slice(1);
  if (max < 86_400_000) return hm;
  const dayDigits = String(Math.floor(max / 86_400_000)).length;
  return `${String(days).padStart(dayDigits, '0')}d${hm}`;
}

/** k6's status line: `running (0m05.2s), 10/10 VUs, 523 complete and 0 interrupted iterations`. */
export function statusLine(p: ProgressState): string {
  const clock = fixedLengthDuration(p.elapsedMs, p.maxDurationMs ?? 60_000);
  // k6 zero-pads the active VUs to the width of the maximum ('05/10 VUs').
  const width = String(Math.max(p.vusMax, 0)).length;
  const vus = `${String(p.vus).padStart(width, '0')}/${String(p.vusMax).padStart(width, '0')}`;
  return `running (${clock}), ${vus} VUs, ${p.iterations} complete and ${p.interrupted} interrupted iterations`;
}

/** k6's progress bar (ui/pb ProgressBar.Render): `name ✓ [=====>-----] detail`, 38 cells inside the brackets. */
export function scenarioLine(s: ProgressState['scenarios'][number], nameWidth: number, faint: (t: string) => string, ok: (t: string) => string): string {
  const space = BAR_WIDTH - 2;
  const progress = Math.min(Math.max(Number.isFinite(s.progress) ? s.progress : 0, 0), 1);
  const filled = Math.floor(space * progress);
  const body = filled === 0 ? '' : filled < space ? `${'='.repeat(filled - 1)}>` : '='.repeat(filled);
  const rest = space > filled ? faint('-'.repeat(space - filled)) : '';
  const status = progress >= 1 ? ok('✓') : ' ';
  return `${s.name.padEnd(nameWidth)} ${status} [${body}${rest}]${s.detail ? ` ${s.detail}` : ''}`;
}

/**
 * Live progress, k6-like. On a TTY: the status line and one bar per scenario, redrawn in place
 * every `intervalMs` (200 ms). Otherwise: the status line alone, printed every `intervalMs` (5 s)
 * and once more at `stop(true)`. Quiet: nothing. A throwing provider skips that refresh.
 */
export class ProgressReporter {
  readonly #opts: ProgressOptions;
  readonly #provider: () => ProgressState;
  readonly #faint: (t: string) => string;
  readonly #ok: (t: string) => string;
  #timer: NodeJS.Timeout | undefined;
  /** Lines of the block last drawn on the TTY (to move back over). */
  #drawn = 0;

  constructor(opts: ProgressOptions, provider: () => ProgressState) {
    this.#opts = opts;
    this.#provider = provider;
    const c = new Chalk({ level: opts.enableColors ? (Math.max(chalk.level, 1) as 1 | 2 | 3) : 0 });
    this.#faint = (t) => c.dim(t);
    this.#ok = (t) => c.green(t);
  }

  /** Starts refreshing (a TTY gets its first frame at once). Calling it again does nothing. */
  start(): void {
    if (this.#opts.quiet || this.#timer !== undefined) return;
    const every = this.#opts.intervalMs ?? (this.#opts.isTTY ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS);
    this.#timer = setInterval(() => this.#draw(), every);
    this.#timer.unref();
    if (this.#opts.isTTY) this.#draw();
  }

  /** Stops refreshing; with `final`, draws the last state once more (left on screen). */
  stop(final = false): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (final && !this.#opts.quiet) this.#draw();
  }

  #draw(): void {
    let p: ProgressState;
    try {
      p = this.#provider();
    } catch {
      return;
    }
    const stream = this.#opts.stream;
    if (!this.#opts.isTTY) {
      stream.write(`${statusLine(p)}\n`);
      return;
    }
    const nameWidth = Math.max(0, ...p.scenarios.map((s) => s.name.length));
    const lines = [statusLine(p), ...p.scenarios.map((s) => scenarioLine(s, nameWidth, this.#faint, this.#ok))];
    // A line wider than the terminal wraps and breaks the cursor arithmetic: cut it (colour codes only sit in the bar).
    const columns = (stream as NodeJS.WriteStream).columns;
    const fit = (l: string) => (columns !== undefined && columns > 0 && visibleLength(l) >= columns ? cut(l, columns - 1) : l);
    // Back to the block's first line, clear to the end of the screen, draw the block again.
    const back = this.#drawn > 0 ? `\x1b[${this.#drawn}A\r\x1b[J` : '';
    stream.write(`${back}${lines.map(fit).join('\n')}\n`);
    this.#drawn = lines.length;
  }
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

function visibleLength(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

/** The first `width` visible characters of `s`, colour codes kept, colours reset at the end. */
function cut(s: string, width: number): string {
  let out = '';
  let seen = 0;
  for (const part of s.split(/(\x1b\[[0-9;]*m)/)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const chars = [...part];
    const take = chars.slice(0, Math.max(0, width - seen));
    out += take.join('');
    seen += take.length;
  }
  return s.includes('\x1b[') ? `${out}\x1b[0m` : out;
}
