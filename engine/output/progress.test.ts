import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressReporter, fixedLengthDuration, scenarioLine, statusLine, type ProgressState } from './progress.js';

const id = (s: string) => s;

function state(over: Partial<ProgressState> = {}): ProgressState {
  return {
    elapsedMs: 5_200,
    vus: 10,
    vusMax: 10,
    iterations: 523,
    interrupted: 0,
    scenarios: [{ name: 'default', executor: 'constant-vus', progress: 5.2 / 30, detail: '10 VUs  05.2s/30s' }],
    ...over,
  };
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (d: Buffer) => (text += d.toString()));
  return () => text;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progress lines', () => {
  it("uses k6's status line", () => {
    expect(statusLine(state())).toBe('running (0m05.2s), 10/10 VUs, 523 complete and 0 interrupted iterations');
    expect(statusLine(state({ vus: 5, vusMax: 100, interrupted: 3 }))).toBe('running (0m05.2s), 005/100 VUs, 523 complete and 3 interrupted iterations');
  });

  it("sizes the clock by the longest possible run, as k6's GetFixedLengthDuration", () => {
    expect(fixedLengthDuration(5_200, 9_000)).toBe('5.2s');
    expect(fixedLengthDuration(5_200, 30_000)).toBe('05.2s');
    expect(fixedLengthDuration(5_200, 60_000)).toBe('0m05.2s');
    expect(fixedLengthDuration(65_250, 600_000)).toBe('01m05.3s');
    expect(fixedLengthDuration(3_725_000, 7_200_000)).toBe('1h02m05.0s');
    expect(fixedLengthDuration(5_000, 36_000_000)).toBe('00h00m05.0s');
    expect(fixedLengthDuration(90_000_000, 90_000_000)).toBe('1d01h00m00.0s');
    expect(statusLine(state({ maxDurationMs: 30_000 }))).toContain('running (05.2s)');
  });

  it("draws k6's bar: 38 cells, '=' filled, '>' head, '-' rest, ✓ when done", () => {
    const s = state().scenarios[0]!;
    expect(scenarioLine({ ...s, progress: 0 }, 7, id, id)).toBe(`default   [${'-'.repeat(38)}] 10 VUs  05.2s/30s`);
    expect(scenarioLine({ ...s, progress: 0.5 }, 9, id, id)).toBe(`default     [${'='.repeat(18)}>${'-'.repeat(19)}] 10 VUs  05.2s/30s`);
    expect(scenarioLine({ ...s, progress: 1, detail: '' }, 7, id, id)).toBe(`default ✓ [${'='.repeat(38)}]`);
    expect(scenarioLine({ ...s, progress: 7 }, 7, id, id)).toContain('✓');
  });
});

describe('ProgressReporter', () => {
  let reporter: ProgressReporter | undefined;
  afterEach(() => reporter?.stop());

  it('prints the plain status line every interval when not a TTY, and once more on a final stop', async () => {
    const out = new PassThrough();
    const text = collect(out);
    let iterations = 0;
    reporter = new ProgressReporter({ stream: out, isTTY: false, quiet: false, enableColors: true, intervalMs: 20 }, () => state({ iterations: ++iterations }));
    reporter.start();
    await sleep(110);
    reporter.stop(true);
    const lines = text().trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(2); // at least one tick, then the final line
    lines.forEach((l, i) => expect(l).toBe(`running (0m05.2s), 10/10 VUs, ${i + 1} complete and 0 interrupted iterations`));
    // eslint-disable-next-line no-control-regex
    expect(text()).not.toMatch(/\x1b/);
    const count = lines.length;
    await sleep(60);
    expect(text().trimEnd().split('\n')).toHaveLength(count);
  });

  it('prints nothing when quiet, not even on a final stop', async () => {
    const out = new PassThrough();
    const text = collect(out);
    reporter = new ProgressReporter({ stream: out, isTTY: false, quiet: true, enableColors: false, intervalMs: 10 }, () => state());
    reporter.start();
    await sleep(50);
    reporter.stop(true);
    expect(text()).toBe('');
  });

  it('redraws the block in place on a TTY: status line, then one bar per scenario', async () => {
    const out = new PassThrough();
    const text = collect(out);
    const scenarios = [
      { name: 'browse', executor: 'constant-vus', progress: 0.25, detail: '10 VUs' },
      { name: 'checkout', executor: 'shared-iterations', progress: 1, detail: '100/100 shared iters' },
    ];
    reporter = new ProgressReporter({ stream: out, isTTY: true, quiet: false, enableColors: false, intervalMs: 15 }, () => state({ scenarios }));
    reporter.start();
    await sleep(60);
    reporter.stop(true);
    // The first frame at start(), the last at stop(true), each later one after moving back over 3 lines.
    const frames = text().split('\x1b[3A\r\x1b[J');
    expect(frames.length).toBeGreaterThanOrEqual(2);
    expect(frames[0]).toBe(
      [
        'running (0m05.2s), 10/10 VUs, 523 complete and 0 interrupted iterations',
        `browse     [========>${'-'.repeat(29)}] 10 VUs`,
        `checkout ✓ [${'='.repeat(38)}] 100/100 shared iters`,
        '',
      ].join('\n'),
    );
    expect(frames.at(-1)).toBe(frames[0]);
  });

  it('cuts lines to the terminal width so the redraw stays in place', () => {
    const out = Object.assign(new PassThrough(), { columns: 30 });
    const text = collect(out);
    reporter = new ProgressReporter({ stream: out, isTTY: true, quiet: false, enableColors: true }, () => state());
    reporter.stop(true);
    // eslint-disable-next-line no-control-regex
    const visible = text().replace(/\x1b\[[0-9;]*m/g, '').split('\n');
    expect(visible[0]).toBe('running (0m05.2s), 10/10 VUs,');
    expect(visible[1]).toHaveLength(29);
  });

  it('skips a refresh when the provider throws', () => {
    const out = new PassThrough();
    const text = collect(out);
    reporter = new ProgressReporter({ stream: out, isTTY: false, quiet: false, enableColors: false }, () => {
      throw new Error('not ready');
    });
    expect(() => reporter!.stop(true)).not.toThrow();
    expect(text()).toBe('');
  });
});
