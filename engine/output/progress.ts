import type { Writable } from 'node:stream';

/** What the progress line shows. */
export interface ProgressState {
  elapsedMs: number;
  vus: number;
  vusMax: number;
  iterations: number;
  interrupted: number;
  scenarios: Array<{ name: string; executor: string; progress: number; detail: string }>;
}

function clock(ms: number): string {
  const total = ms / 1000;
  const m = Math.floor(total / 60);
  const s = total - m * 60;
  return `${String(m).padStart(2, '0')}m${s.toFixed(1).padStart(4, '0')}s`;
}

/**
 * k6-like live progress. On a TTY: a status line and one bar per scenario, redrawn in place
 * about five times a second. Otherwise: a plain status line every `intervalMs` (default 5 s).
 * Quiet: nothing.
 */
export class ProgressReporter {
  readonly #opts: { stream: Writable; isTTY: boolean; quiet: boolean; enableColors: boolean; intervalMs?: number };
  readonly #provider: () => ProgressState;
  #timer: NodeJS.Timeout | undefined;
  #drawn = 0;

  constructor(opts: { stream: Writable; isTTY: boolean; quiet: boolean; enableColors: boolean; intervalMs?: number }, provider: () => ProgressState) {
    this.#opts = opts;
    this.#provider = provider;
  }

  #status(p: ProgressState): string {
    return `running (${clock(p.elapsedMs)}), ${p.vus}/${p.vusMax} VUs, ${p.iterations} complete and ${p.interrupted} interrupted iterations`;
  }

  #draw(): void {
    const p = this.#provider();
    if (!this.#opts.isTTY) {
      this.#opts.stream.write(`${this.#status(p)}\n`);
      return;
    }
    const width = Math.max(...p.scenarios.map((s) => s.name.length), 7);
    const lines = [this.#status(p)];
    for (const s of p.scenarios) {
      const pct = Math.min(Math.max(s.progress, 0), 1);
      const filled = Math.round(pct * 40);
      const bar = `[${'='.repeat(Math.max(filled - 1, 0))}${filled > 0 && filled < 40 ? '>' : filled === 40 ? '=' : ''}${' '.repeat(40 - filled)}]`;
      lines.push(`${s.name.padEnd(width)} ${bar} ${String(Math.round(pct * 100)).padStart(3)}%  ${s.detail}`);
    }
    const up = this.#drawn > 0 ? `\x1b[${this.#drawn}A` : '';
    this.#opts.stream.write(`${up}${lines.map((l) => `\x1b[2K${l}`).join('\n')}\n`);
    this.#drawn = lines.length;
  }

  start(): void {
    if (this.#opts.quiet || this.#timer) return;
    const every = this.#opts.isTTY ? 200 : (this.#opts.intervalMs ?? 5000);
    this.#timer = setInterval(() => this.#draw(), every);
    this.#timer.unref();
  }

  /** Stops; with `final`, draws the last state once more. */
  stop(final = false): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
    if (final && !this.#opts.quiet) this.#draw();
  }
}
