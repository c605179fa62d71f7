import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { fixtureDir, loadts, readJson, type CliResult, type LoadtsChild } from '../helpers.js';
import type { FaultServer } from './servers.js';

/**
 * The fault suite's harness: runs the built `loadts` command as a user would (a script in a
 * directory of its own, --summary-export, signals from outside), then checks what every case must
 * hold: the process ended by itself and left nothing behind, and the summary-export agrees with
 * itself, with the process and with the server.
 */

/** The first line of every script that sends HTTP requests. */
export const HTTP_IMPORT = "import http from 'loadts/http';";

/** A script from its lines: line n of the file is the n-th argument. */
export const lines = (...l: string[]) => `${l.join('\n')}\n`;

export interface Run extends CliResult {
  /** The first line of stderr that starts with "error:", if any. */
  error: string | undefined;
  /** The --summary-export JSON (undefined when the run was not expected to write it). */
  summary: any;
  dir: string;
}

/** What a case does to the running command from outside. */
export interface Driver {
  /** Sends the `loadts` process (or the wrapping command) a signal. */
  signal(signal: NodeJS.Signals): void;
  /** Resolves once stdout and stderr so far match `re`. */
  output(re: RegExp): Promise<void>;
}

export interface RunOptions {
  /** More arguments for `loadts run`, before the script. */
  args?: string[];
  /** More files beside script.ts (a config file). */
  files?: Record<string, string>;
  /** false: the run ends before any load and must not write --summary-export. */
  exported?: boolean;
  /** Runs while the command runs, e.g. sends it signals. */
  during?: (d: Driver) => Promise<void>;
  /** Worker threads (--workers; default 1). */
  workers?: number;
  /** A command that runs loadts (['timeout', '-s', 'TERM', '3']). */
  wrap?: string[];
  timeoutMs?: number;
}

/** Runs `script` (the whole of script.ts) with the built CLI, `TARGET` set to `s`'s URL. */
export async function run(s: FaultServer | undefined, script: string, opts: RunOptions = {}): Promise<Run> {
  const dir = fixtureDir({ 'script.ts': script, ...opts.files });
  const target = s === undefined ? [] : ['-e', `TARGET=${s.url}`];
  let driving: Promise<unknown> = Promise.resolve();
  const r = await loadts(['run', '--workers', String(opts.workers ?? 1), '--no-summary', '-q', ...target, '--summary-export', 'out.json', ...(opts.args ?? []), 'script.ts'], {
    cwd: dir,
    timeoutMs: opts.timeoutMs ?? 30_000,
    wrap: opts.wrap,
    onSpawn: (child) => {
      const during = opts.during;
      if (during !== undefined) driving = during(driver(child)).then(() => undefined, (e: unknown) => e);
    },
  });
  const failed = await driving;
  if (failed !== undefined) throw failed;
  await expectNothingLeft(r, dir, s);
  const out = join(dir, 'out.json');
  if (opts.exported === false) expect(existsSync(out), 'no --summary-export: nothing ran').toBe(false);
  return { ...r, dir, error: errorLines(r.stderr)[0], summary: opts.exported === false ? undefined : readJson(out) };
}

function driver(child: LoadtsChild): Driver {
  let text = '';
  const on = (d: Buffer) => (text += d.toString());
  child.stdout.on('data', on);
  child.stderr.on('data', on);
  return {
    signal: (sig) => void child.kill(sig),
    output: (re) => until(() => re.test(text), `output matching ${re}`),
  };
}

/** Resolves once `cond()` holds (checked every 10 ms); rejects after `timeoutMs`. */
export async function until(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The lines of `stderr` that start with "error:". */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.startsWith('error:'));
}

/** The child ended by itself, nothing else runs in its directory, and the server has no connection left. */
export async function expectNothingLeft(r: CliResult, dir: string, s: FaultServer | undefined): Promise<void> {
  expect(r.signal).toBeNull();
  expect(r.code).not.toBeNull();
  if (process.platform === 'linux') {
    const stray = readdirSync('/proc').filter((pid) => {
      if (!/^\d+$/.test(pid)) return false;
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false;
      }
    });
    expect(stray).toEqual([]);
  }
  if (s === undefined) return;
  for (let i = 0; i < 50 && s.openConnections() > 0; i++) await sleep(20);
  expect(s.openConnections()).toBe(0);
}

export interface Expected {
  /** loadts.state. */
  state: string;
  /** Complete iterations, when the case knows them. */
  iterations?: number;
  /** loadts.exitCode, when the process's own exit code is not loadts's (a wrapping command's). */
  exitCode?: number;
}

/**
 * The summary-export agrees with itself, the process and the server: its state; its exit code is
 * the process's; each `error:` line on stderr is one of loadts.errors and vice versa; iterations
 * agree between metrics and loadts; http_reqs is exactly what the server received.
 */
export function expectConsistent(r: Run, s: FaultServer | undefined, expected: Expected): void {
  const { metrics: m, loadts: x } = r.summary;
  expect(x.state).toBe(expected.state);
  expect(x.exitCode).toBe(expected.exitCode ?? r.code);
  const printed = errorLines(r.stderr);
  expect(printed.length, printed.join('\n')).toBe(x.errors.length);
  for (const e of x.errors as string[]) expect(printed.some((l) => l === `error: ${e}` || l.startsWith(`error: ${e}; `)), e).toBe(true);
  expect(m.iterations?.count ?? 0).toBe(x.iterations.complete);
  if (expected.iterations !== undefined) expect(x.iterations.complete).toBe(expected.iterations);
  const reqs = m.http_reqs?.count ?? 0;
  if (s !== undefined) expect(reqs).toBe(s.requests());
  if (reqs > 0) expect((m.http_req_failed.passes ?? 0) + (m.http_req_failed.fails ?? 0)).toBe(reqs);
}

/** A server's URL as a regular expression. */
export const host = (s: FaultServer) => s.url.replace(/[.]/g, '\\.');
