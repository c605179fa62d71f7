/**
 * The conformance suite every output runs (as hono's router/common.case.test.ts): its test file
 * calls `outputConformance` with the output's type, what its reader reports, and where it writes.
 * In-process, with loadts's own parts (FixtureRun): start and stop with no samples, a normal run, a
 * run cut short, an unwritable destination, a destination that fails while written. Through the
 * built CLI against a loopback server that counts requests (conformance-cli.ts): Ctrl-C (SIGINT)
 * leaves a complete, valid destination, and an unwritable one stops the run with exit 104 before
 * any request. A destination is a file, a receiver (remote write) or a server (the dashboard): the
 * suite sees each through `Destination`.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LoadtsError } from '../../errors.js';
import type { RunState } from '../../runtime/run-end.js';
import { cliCases } from './conformance-cli.js';
import { FixtureRun } from './conformance-fixture.js';
import type { Output, OutputType, RunEnd } from './output.js';
import { OutputSet } from './output-set.js';

/** What a reader found in a destination. */
export interface Written {
  /** Raw samples written. */
  samples?: number;
  /** HTTP requests the destination accounts for. */
  requests?: number;
  /** How the run ended, as written. */
  state?: string;
  /** Thresholds written, and how many of them failed. */
  thresholds?: { total: number; crossed: number };
}

/** A fact of `Written`. */
export type Fact = keyof Written;

/** One destination of the output under test: how the output is pointed at it, and how it is read back. */
export interface Destination {
  /** The output's `--out` argument; absent for outputs chosen by the environment. */
  arg?: string;
  /** Environment variables that choose or configure the output. */
  env?: Record<string, string>;
  /** Each line the output says (its URL): in-process through OutputEnv.say, through the CLI from its stdout and stderr. */
  heard?(line: string): void;
  /** Called in-process once the output has started: a live destination's reader connects here. */
  started?(): Promise<void>;
  /** Reads what was written, after the run: throws unless it is complete and valid. */
  read(): Promise<Written>;
  /** Frees what the destination holds (a receiver, a port). */
  close?(): Promise<void>;
}

/** A destination the output cannot use, and the reason the output gives (after `output NAME (…): `). */
export type Refused = Destination & { why: RegExp };

export interface OutputUnderTest {
  type: OutputType;
  /** What `read` reports: each of these, exactly, in every case (and nothing else). */
  reports: readonly Fact[];
  /** A working destination. */
  destination(): Promise<Destination>;
  /** One the output cannot open: its start fails (exit 104, before any load). */
  unwritable(): Promise<Refused>;
  /** One that fails while written (a full disk, a receiver that stops accepting); absent where the machine has none. */
  failing?(): Promise<Refused>;
}

/** What a run's destination must hold: the facts an output reports, picked from all of them. */
export function expectWritten(t: OutputUnderTest, w: Written, all: Required<Written>): void {
  expect(Object.keys(w).sort(), `${t.type.name} reports`).toEqual([...t.reports].sort());
  expect(w).toEqual(Object.fromEntries(t.reports.map((f) => [f, all[f]])));
}

/** File outputs' destinations: a fresh file, one under a file (not a folder), and /dev/full. */
export function fileDestinations(file: string, point: (path: string) => Pick<Destination, 'arg' | 'env'>, read: (path: string) => Promise<Written>): Pick<OutputUnderTest, 'destination' | 'unwritable' | 'failing'> {
  const dir = mkdtempSync(join(tmpdir(), 'loadts-conformance-'));
  let n = 0;
  const at = (path: string) => ({ ...point(path), read: () => read(path) });
  return {
    destination: async () => at(join(dir, `${++n}-${file}`)),
    unwritable: async () => {
      const blocker = join(dir, `blocker-${++n}`);
      writeFileSync(blocker, 'a file, not a folder');
      return { ...at(join(blocker, file)), why: new RegExp(`cannot write .*${file.replace(/\./g, '\\.')}: .*not a directory`) };
    },
    ...(existsSync('/dev/full') ? { failing: async () => ({ ...at('/dev/full'), why: /ENOSPC/ }) } : {}),
  };
}

function make(t: OutputUnderTest, d: Destination, cwd: string): { type: OutputType; output: Output } {
  return { type: t.type, output: t.type.create(d.arg, { cwd, env: d.env ?? {}, say: (line) => d.heard?.(line) }) };
}

/** Runs the fixture through an OutputSet with this one output; returns what went wrong (nothing, normally). */
async function runThrough(t: OutputUnderTest, d: Destination, run: FixtureRun | undefined, state: RunState): Promise<{ errors: LoadtsError[]; end: RunEnd }> {
  const errors: LoadtsError[] = [];
  const fixture = run ?? new FixtureRun();
  const set = new OutputSet([make(t, d, tmpdir())], (e) => errors.push(e));
  await set.start(fixture.start);
  await d.started?.();
  if (run !== undefined) {
    for (const stage of [0, 1]) {
      fixture.requestsIn(stage, stage === 0 ? 30 : 20);
      for (const b of fixture.batches()) set.addSamples(b);
    }
    for (const i of fixture.intervals()) set.addInterval(i);
  }
  const end = fixture.end(state);
  await set.stop(end, 'others');
  await set.stop(end, 'end-state');
  for (const b of new FixtureRun().batches()) set.addSamples(b); // after stop: ignored, no error
  return { errors, end };
}

/** Runs `f` with a destination, then frees it. */
export async function using<D extends Destination, T>(d: Promise<D>, f: (d: D) => Promise<T>): Promise<T> {
  const dest = await d;
  try {
    return await f(dest);
  } finally {
    await dest.close?.();
  }
}

const thresholdsOf = (end: RunEnd) => ({ total: end.record.thresholds.length, crossed: end.record.thresholds.filter((x) => !x.ok).length });

/** Registers the suite for one output. */
export function outputConformance(t: OutputUnderTest): void {
  const name = t.type.name;
  describe(`output conformance: ${name}`, () => {
    it('starts and stops with no samples: the destination is complete and valid', () =>
      using(t.destination(), async (d) => {
        const { errors, end } = await runThrough(t, d, undefined, 'completed');
        expect(errors).toEqual([]);
        expectWritten(t, await d.read(), { samples: 0, requests: 0, state: 'completed', thresholds: thresholdsOf(end) });
      }));

    for (const state of ['completed', 'interrupted'] as const) {
      it(state === 'completed' ? 'a normal run: samples and intervals, then stop with the result' : 'a run cut short: stop with an interrupted record', () =>
        using(t.destination(), async (d) => {
          const run = new FixtureRun();
          const { errors, end } = await runThrough(t, d, run, state);
          expect(errors).toEqual([]);
          expectWritten(t, await d.read(), { samples: run.samples, requests: run.requests, state, thresholds: thresholdsOf(end) });
        }));
    }

    it('an unwritable destination: start rejects with one line naming the output (exit 104)', () =>
      using(t.unwritable(), async (d) => {
        const set = new OutputSet([make(t, d, tmpdir())], () => {});
        const error = await set.start(new FixtureRun().start).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(LoadtsError);
        const e = error as LoadtsError;
        expect(e.exitCode).toBe(104);
        expect(e.message).toMatch(new RegExp(`^output ${name} \\(.*\\): ${d.why.source}`));
        expect(e.message).not.toContain('\n');
      }));

    it.skipIf(t.failing === undefined)('a destination that fails while written: one line naming the output; the others still stop', () =>
      using(t.failing!(), async (d) => {
        const errors: LoadtsError[] = [];
        let otherStopped = false;
        const other: Output = { description: 'probe', start: async () => {}, stop: async () => void (otherStopped = true) };
        const set = new OutputSet([make(t, d, tmpdir()), { type: { ...t.type, name: 'probe' }, output: other }], (e) => errors.push(e));
        const run = new FixtureRun();
        await set.start(run.start);
        run.requestsIn(0, 2000);
        for (const b of run.batches()) set.addSamples(b);
        for (const i of run.intervals()) set.addInterval(i);
        const end = run.end();
        await set.stop(end, 'others');
        await set.stop(end, 'end-state');
        expect(otherStopped).toBe(true);
        expect(errors).toHaveLength(1);
        expect(errors[0]!.message).toMatch(new RegExp(`^output ${name} \\(.*\\) failed: .*${d.why.source}`));
        expect(errors[0]!.message).not.toContain('\n');
      }));

    cliCases(t);
  });
}
