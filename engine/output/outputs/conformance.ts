/**
 * The conformance suite every output runs (as hono's router/common.case.test.ts): its test file
 * calls `outputConformance` with the output's type and a reader of what it wrote. In-process, with
 * loadts's own parts (FixtureRun): start and stop with no samples, a normal run, a run cut short,
 * an unwritable destination, a destination that fails while written. Through the built CLI against
 * a loopback server that counts requests: Ctrl-C (SIGINT) leaves a complete, valid destination, and
 * an unwritable one stops the run with exit 104 before any request.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadts, testServer } from '../../../test/helpers.js';
import { LoadtsError } from '../../errors.js';
import type { RunState } from '../../runtime/run-end.js';
import { FixtureRun } from './conformance-fixture.js';
import type { Output, OutputType, RunEnd } from './output.js';
import { OutputSet } from './output-set.js';

/** What a reader found in a destination (each output tells what it can). */
export interface Written {
  /** Raw samples written (outputs that want samples). */
  samples?: number;
  /** HTTP requests the destination accounts for. */
  requests?: number;
  /** How the run ended, as written (outputs that write the end state). */
  state?: string;
  /** Thresholds written, and how many of them failed. */
  thresholds?: { total: number; crossed: number };
}

export interface OutputUnderTest {
  type: OutputType;
  /** The destination's file name (a '.gz' name tests compression). */
  file: string;
  /** The output's `--out` argument for a destination; absent for outputs chosen by the environment. */
  arg?: (path: string) => string;
  /** Environment variables that choose or configure the output. */
  env?: (path: string) => Record<string, string>;
  /** Reads the destination: throws unless it is complete and valid. */
  read: (path: string) => Promise<Written>;
}

function make(t: OutputUnderTest, path: string, cwd: string): { type: OutputType; output: Output } {
  return { type: t.type, output: t.type.create(t.arg?.(path), { cwd, env: t.env?.(path) ?? {} }) };
}

/** Runs the fixture through an OutputSet with this one output; returns what went wrong (nothing, normally). */
async function runThrough(t: OutputUnderTest, path: string, run: FixtureRun | undefined, state: RunState): Promise<{ errors: LoadtsError[]; end: RunEnd }> {
  const errors: LoadtsError[] = [];
  const fixture = run ?? new FixtureRun();
  const set = new OutputSet([make(t, path, tmpdir())], (e) => errors.push(e));
  await set.start(fixture.start);
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

/** Registers the suite for one output. */
export function outputConformance(t: OutputUnderTest): void {
  const dir = mkdtempSync(join(tmpdir(), `loadts-${t.type.name}-`));
  let n = 0;
  const fresh = () => join(dir, `${++n}-${t.file}`);

  describe(`output conformance: ${t.type.name}`, () => {
    it('starts and stops with no samples: the destination is complete and valid', async () => {
      const path = fresh();
      const { errors } = await runThrough(t, path, undefined, 'completed');
      expect(errors).toEqual([]);
      const w = await t.read(path);
      if (t.type.wantsSamples) expect(w.samples).toBe(0);
      if (w.state !== undefined) expect(w.state).toBe('completed');
    });

    for (const state of ['completed', 'interrupted'] as const) {
      it(state === 'completed' ? 'a normal run: samples and intervals, then stop with the result' : 'a run cut short: stop with an interrupted record', async () => {
        const path = fresh();
        const run = new FixtureRun();
        const { errors, end } = await runThrough(t, path, run, state);
        expect(errors).toEqual([]);
        const w = await t.read(path);
        if (t.type.wantsSamples) expect(w.samples).toBe(run.samples);
        if (w.requests !== undefined) expect(w.requests).toBe(run.requests);
        if (w.state !== undefined) expect(w.state).toBe(state);
        if (w.thresholds !== undefined) expect(w.thresholds).toEqual({ total: end.record.thresholds.length, crossed: end.record.thresholds.filter((x) => !x.ok).length });
      });
    }

    it('an unwritable destination: start rejects with one line naming the output (exit 104)', async () => {
      const blocker = join(dir, `blocker-${++n}`);
      writeFileSync(blocker, 'a file, not a folder');
      const set = new OutputSet([make(t, join(blocker, t.file), dir)], () => {});
      const error = await set.start(new FixtureRun().start).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LoadtsError);
      const e = error as LoadtsError;
      expect(e.exitCode).toBe(104);
      expect(e.message).toMatch(new RegExp(`^output ${t.type.name}.*cannot write .*${t.file.replace(/\./g, '\\.')}: .*not a directory`));
      expect(e.message).not.toContain('\n');
    });

    it.skipIf(!existsSync('/dev/full'))('a destination that fails while written: one line naming the output; the others still stop', async () => {
      const errors: LoadtsError[] = [];
      let otherStopped = false;
      const other: Output = { description: 'probe', start: async () => {}, stop: async () => void (otherStopped = true) };
      const set = new OutputSet([make(t, '/dev/full', dir), { type: { ...t.type, name: 'probe' }, output: other }], (e) => errors.push(e));
      const run = new FixtureRun();
      await set.start(run.start);
      run.requestsIn(0, 2000);
      for (const b of run.batches()) set.addSamples(b);
      const end = run.end();
      await set.stop(end, 'others');
      await set.stop(end, 'end-state');
      expect(otherStopped).toBe(true);
      expect(errors).toHaveLength(1);
      expect(errors[0]!.message).toMatch(new RegExp(`^output ${t.type.name}.* failed: .*ENOSPC`));
      expect(errors[0]!.message).not.toContain('\n');
    });

    cliCases(t, fresh, dir);
  });
}

/** The script of the CLI cases: VUs request the counting server until stopped; VU 1 says when it is under way. */
const VUS = 4;
const SCRIPT = `import http from 'loadts/http';
export const options = { vus: ${VUS}, duration: '30s', thresholds: { http_req_duration: ['p(95)<10000'], http_req_failed: ['rate<0.5'] } };
export default async function () {
  await http.get(__ENV.BASE_URL + '/');
  if (__VU === 1 && __ITER === 30) console.log('UNDER-WAY');
}
`;

function cliCases(t: OutputUnderTest, fresh: () => string, dir: string): void {
  let server: Awaited<ReturnType<typeof testServer>>;
  let requests = 0;
  beforeAll(async () => {
    writeFileSync(join(dir, 'script.js'), SCRIPT);
    server = await testServer((_req, res) => {
      requests++;
      res.end('ok');
    });
  });
  afterAll(() => server?.close());

  const run = (path: string, extra: { onUnderWay?: boolean } = {}) => {
    let sent = false; // one Ctrl-C: a second one means "exit at once"
    const interrupt = (out: string, kill: (s: NodeJS.Signals) => void) => {
      if (sent || !out.includes('UNDER-WAY')) return;
      sent = true;
      kill('SIGINT');
    };
    return loadts(['run', '-q', '--no-summary', ...(t.arg ? ['--out', `${t.type.name}=${t.arg(path)}`] : []), join(dir, 'script.js')], {
      env: { BASE_URL: server.url, ...t.env?.(path) },
      onStdout: extra.onUnderWay ? interrupt : undefined,
    });
  };

  it('through the CLI, Ctrl-C (SIGINT): exit 105, and the destination is complete and valid', async () => {
    const path = fresh();
    requests = 0;
    const r = await run(path, { onUnderWay: true });
    expect(r.code, r.stderr).toBe(105);
    const w = await t.read(path);
    if (t.type.wantsSamples) expect(w.samples).toBeGreaterThan(0);
    // The stop aborts the request each VU has in flight: counted when it had reached the server,
    // left out when not a byte of it was sent, so the file and the server agree exactly.
    if (w.requests !== undefined) {
      expect(w.requests).toBeGreaterThan(0);
      expect(w.requests).toBe(requests);
    }
    if (w.state !== undefined) expect(w.state).toBe('interrupted');
  });

  it('through the CLI, an unwritable destination: exit 104 with one line naming the output, before any request', async () => {
    const blocker = join(dir, 'cli-blocker');
    writeFileSync(blocker, 'a file, not a folder');
    requests = 0;
    const r = await run(join(blocker, t.file));
    expect(r.code, r.stderr).toBe(104);
    expect(r.stderr).toMatch(new RegExp(`^error: output ${t.type.name}[^\\n]*cannot write[^\\n]*not a directory`, 'm'));
    expect(requests).toBe(0);
  });
}
