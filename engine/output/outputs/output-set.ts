import { LoadtsError, toError } from '../../errors.js';
import type { TimeInterval } from '../../metrics/time-series.js';
import type { Output, OutputStart, OutputType, RunEnd, SampleBatch } from './output.js';

/**
 * The run's outputs, fed together. One output's failure is its own: it is reported in one line
 * naming the output, that output gets nothing more, and the summary and the other outputs are
 * written as ever. A failure to start is a configuration problem, found before any load.
 */
export class OutputSet {
  readonly #entries: Array<{ type: OutputType; output: Output }>;
  readonly #outputs: Output[];
  readonly #failed = new Set<Output>();
  readonly #report: (error: LoadtsError) => void;

  constructor(entries: ReadonlyArray<{ type: OutputType; output: Output }>, report: (error: LoadtsError) => void) {
    this.#entries = [...entries];
    this.#outputs = entries.map((e) => e.output);
    this.#report = report;
  }

  /** Whether any output wants raw samples (the workers then batch them). */
  get wantsSamples(): boolean {
    return this.#entries.some((e) => e.type.wantsSamples);
  }

  /** Whether any output takes the time series' intervals (the store encodes each one only then). */
  get wantsIntervals(): boolean {
    return this.#outputs.some((o) => o.addInterval !== undefined);
  }

  /** Starts every output; the first failure throws (INVALID_FLAG), after stopping those already started. */
  async start(info: OutputStart): Promise<void> {
    for (const o of this.#outputs) {
      try {
        await o.start(info);
      } catch (e) {
        throw new LoadtsError('INVALID_FLAG', `output ${o.description}: ${toError(e).message}`);
      }
    }
  }

  addInterval(interval: TimeInterval): void {
    for (const o of this.#outputs) if (o.addInterval !== undefined) this.#guard(o, () => o.addInterval!(interval));
  }

  addSamples(batch: SampleBatch): void {
    for (const o of this.#outputs) if (o.addSamples !== undefined) this.#guard(o, () => o.addSamples!(batch));
  }

  /**
   * Stops the outputs with the run's result: `which` 'others' first, then 'end-state' (those that
   * write the run's end state for others to gate on, after every other output could fail).
   */
  async stop(end: RunEnd, which: 'others' | 'end-state'): Promise<void> {
    const chosen = this.#entries.filter((e) => Boolean(e.type.writesEndState) === (which === 'end-state'));
    await Promise.all(
      chosen.map(async ({ output }) => {
        if (this.#failed.has(output)) return;
        try {
          await output.stop(end);
        } catch (e) {
          this.#fail(output, e);
        }
      }),
    );
  }

  #guard(o: Output, f: () => void): void {
    if (this.#failed.has(o)) return;
    try {
      f();
    } catch (e) {
      this.#fail(o, e);
    }
  }

  #fail(o: Output, e: unknown): void {
    this.#failed.add(o);
    this.#report(new LoadtsError('OUTPUT', `output ${o.description} failed: ${toError(e).message}`));
  }
}
