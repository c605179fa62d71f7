import { spawn, type ChildProcess } from 'node:child_process';
import { decodeHistogram, newHistogram } from '../engine/metrics/hdr.js';
import type { JsHistogram } from 'hdr-histogram-js';
import { BIN, type CliResult } from './helpers.js';

/** A loadts process started by a fleet test: its result, its output so far, and a way to kill it. */
export interface Proc {
  child: ChildProcess;
  result: Promise<CliResult>;
  output(): string;
}

/** Starts `loadts ...args` (the built command); the process is killed at `timeoutMs`. */
export function start(args: string[], opts: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Proc {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', ...opts.env };
  for (const k of ['LOADTS_FLEET_TOKEN', 'JOB_COMPLETION_INDEX', 'LOADTS_FLEET_INDEX', 'LOADTS_FLEET_JOIN', 'K6_OUT', 'LOADTS_OUT']) if (opts.env?.[k] === undefined) delete env[k];
  const child = spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return { child, result, output: () => stdout + stderr };
}

/** Resolves when `p`'s output matches `re` (the match), or rejects after `ms`. */
export async function waitForOutput(p: Proc, re: RegExp, ms = 30_000): Promise<RegExpExecArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = re.exec(p.output());
    if (m !== null) return m;
    if (Date.now() > until || p.child.exitCode !== null) throw new Error(`no ${re} in the output:\n${p.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a coordinator on a free loopback port; resolves with it and the URL instances join. */
export async function startCoordinator(args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ proc: Proc; url: string }> {
  const proc = start(['fleet', 'coordinator', '--listen', '127.0.0.1:0', ...args], { ...opts, timeoutMs: 120_000 });
  const m = await waitForOutput(proc, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60_000);
  return { proc, url: m[1]! };
}

/** Starts instance `index` of a fleet. */
export function startInstance(url: string, index: number, opts: { cwd: string; env?: Record<string, string>; args?: string[] }): Proc {
  return start(['fleet', 'instance', '--join', url, '--index', String(index), '--workers', '1', '--record', 'instance-{index}.json', ...(opts.args ?? [])], { ...opts, timeoutMs: 120_000 });
}

/** A trend's HDR histogram from a record's series (decoded), or an empty one. */
export function histogramOf(record: { metrics: { series: Array<{ metric: string; key: string; data: { type: string; hdr?: string } }> } }, metric: string, key = ''): JsHistogram {
  const s = record.metrics.series.find((x) => x.metric === metric && x.key === key);
  return (s?.data.hdr ? decodeHistogram(s.data.hdr) : undefined) ?? newHistogram(64);
}

/** Every non-empty slot of a histogram: its value → count (what "bit for bit" compares). */
export function buckets(h: JsHistogram): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < h.countsArrayLength; i++) {
    const n = h.getCountAtIndex(i);
    if (n > 0) out.set(h.valueFromIndex(i), n);
  }
  return out;
}

/** The sum of histograms (a new 64-bit one). */
export function sum(hs: readonly JsHistogram[]): JsHistogram {
  const out = newHistogram(64);
  for (const h of hs) if (h.totalCount > 0) out.add(h);
  return out;
}
