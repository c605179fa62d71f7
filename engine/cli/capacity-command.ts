import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ExitCode, LoadtsError } from '../errors.js';
import { runCapacity, type CapacityRequest } from '../capacity/run-capacity.js';
import { capacityMarkdown, capacityReport } from '../capacity/report.js';
import { parseDuration } from '../options/duration.js';
import { writeRecord } from '../record/io.js';
import { parseMetricSelector, parseThresholdExpression } from '../thresholds/parse.js';
import type { DemoTarget } from '../target/server.js';
import { CAPACITY_FLAGS, CAPACITY_HELP } from './capacity-help.js';
import { logConfigFor } from './log-settings.js';
import { parseSimpleArgs, type SimpleArgs } from './record-args.js';
import { startWatch } from './watch-flags.js';

const bad = (m: string) => new LoadtsError('INVALID_FLAG', m);

function num(a: SimpleArgs, name: string, dflt: number, min: number, integer = false): number {
  const raw = a.flags.get(name)?.[0];
  if (raw === undefined) return dflt;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) throw bad(`--${name} needs ${integer ? 'a whole number' : 'a number'} of at least ${min}, got ${JSON.stringify(raw)}`);
  return n;
}

function duration(a: SimpleArgs, name: string, dflt: number): number {
  const raw = a.flags.get(name)?.[0];
  if (raw === undefined) return dflt;
  if (/^\d+(\.\d+)?$/.test(raw.trim()) && Number(raw) !== 0) throw bad(`--${name} needs a unit: ${raw}s or ${raw}ms`);
  try {
    return parseDuration(raw, `--${name}`);
  } catch (e) {
    throw bad((e as Error).message);
  }
}

/** '5%' or 0.05. */
function precision(a: SimpleArgs): number {
  const raw = a.flags.get('precision')?.[0] ?? '5%';
  const n = raw.trim().endsWith('%') ? Number(raw.trim().slice(0, -1)) / 100 : Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n >= 1) throw bad(`--precision needs a share between 0 and 1, as 5% or 0.05, got ${JSON.stringify(raw)}`);
  return n;
}

/**
 * --slo 'METRIC: EXPR' → thresholds. The metric may have a tag filter with colons of its own
 * ('http_req_duration{status:200}: p(95)<300'): it ends at the first ':' after its '}'.
 */
export function parseSlos(values: readonly string[]): Record<string, string[]> | undefined {
  if (values.length === 0) return undefined;
  const out: Record<string, string[]> = {};
  for (const v of values) {
    const close = v.indexOf('}');
    const colon = v.indexOf(':', close < 0 ? 0 : close);
    if (colon < 0) throw bad(`--slo ${JSON.stringify(v)}: write METRIC: EXPRESSION, e.g. 'http_req_duration: p(95)<300'`);
    const key = v.slice(0, colon).trim();
    const expr = v.slice(colon + 1).trim();
    try {
      parseMetricSelector(key);
      parseThresholdExpression(expr);
    } catch (e) {
      throw new LoadtsError('INVALID_THRESHOLD', `--slo ${JSON.stringify(v)}: ${(e as Error).message}`);
    }
    (out[key] ??= []).push(expr);
  }
  return out;
}

function recordPath(a: SimpleArgs): string | undefined {
  let path: string | undefined;
  for (const o of a.flags.get('out') ?? []) {
    const eq = o.indexOf('=');
    if (o.slice(0, eq < 0 ? undefined : eq) !== 'record' || eq < 0 || o.slice(eq + 1) === '') throw bad(`--out ${o}: loadts capacity writes one output, the run record: --out record=FILE`);
    path = o.slice(eq + 1);
  }
  return path;
}

function envPairs(a: SimpleArgs): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of a.flags.get('env') ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw bad(`-e needs KEY=VALUE, got ${JSON.stringify(kv)}`);
    env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}

/** The search's request from the command line (flags checked before any load). */
function capacityRequest(a: SimpleArgs, script: string, env: Record<string, string>): CapacityRequest {
  const model = a.flags.get('model')?.[0] ?? 'open';
  if (model !== 'open' && model !== 'closed') throw bad(`--model must be open or closed, got ${JSON.stringify(model)}`);
  const closed = model === 'closed';
  const quiet = a.flags.has('quiet');
  const noColor = a.flags.has('no-color') || process.env.NO_COLOR !== undefined;
  const workers = a.flags.has('workers') ? num(a, 'workers', 1, 1, true) : undefined;
  const maxVUs = a.flags.has('max-vus') ? num(a, 'max-vus', 1, 1, true) : undefined;
  return {
    base: {
      scriptPath: script,
      cwd: process.cwd(),
      flagOptions: {},
      configPath: a.flags.get('config')?.[0],
      env,
      processEnv: process.env,
      noSummary: true,
      noThresholds: false,
      quiet: true,
      noColor,
      workers,
      log: logConfigFor({ noColor, verbose: false }, process.cwd(), Boolean(process.stderr.isTTY)),
      stdout: process.stdout,
      stderr: process.stderr,
      handleSignals: true,
    },
    model,
    settings: {
      start: num(a, 'start', closed ? 1 : 10, closed ? 1 : 0.1, closed),
      growth: num(a, 'growth', 2, 1.05),
      precision: precision(a),
      max: num(a, 'max', closed ? 10_000 : 100_000, 0.1, closed),
      maxLevels: num(a, 'max-levels', 20, 1, true),
      integer: closed,
    },
    levelDurationMs: duration(a, 'level-duration', 10_000),
    warmupMs: duration(a, 'warmup', 3000),
    gracefulStopMs: duration(a, 'graceful-stop', 5000),
    exec: a.flags.get('exec')?.[0] ?? 'default',
    ...(maxVUs === undefined ? {} : { maxVUs }),
    slos: parseSlos(a.flags.get('slo') ?? []),
    progress: quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
  };
}

/** `loadts capacity script.ts`: the capacity search (docs/capacity.md). */
export async function capacityCommand(args: readonly string[]): Promise<number> {
  const a = parseSimpleArgs('capacity', args, CAPACITY_FLAGS);
  if (a === undefined) {
    process.stdout.write(`${CAPACITY_HELP}\n`);
    return ExitCode.OK;
  }
  const [script, ...extra] = a.positional;
  if (script === undefined || extra.length > 0) throw bad('loadts capacity takes one script: loadts capacity [flags] script.ts');
  const out = recordPath(a);
  const env = envPairs(a);
  const req = capacityRequest(a, script, env);
  let target: DemoTarget | undefined;
  if (env.BASE_URL === undefined && process.env.BASE_URL === undefined && !a.flags.has('watch-cmd')) {
    const { startDemoTarget } = await import('../target/server.js');
    target = await startDemoTarget({ port: 0, host: '127.0.0.1' });
    env.BASE_URL = target.url;
    if (!a.flags.has('quiet')) process.stderr.write(`BASE_URL not set: started the demo target at ${target.url}\n`);
  }
  const pidText = a.flags.get('watch-pid')?.[0];
  const watch = await startWatch({ pid: pidText === undefined ? undefined : num(a, 'watch-pid', 1, 1, true), cmd: a.flags.get('watch-cmd')?.[0] }, env.BASE_URL ?? process.env.BASE_URL);
  // Ctrl-C: the level running stops itself (its run handles the signal) and the search ends there;
  // between levels, the search ends before the next. What ran is printed and recorded either way.
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    if (watch !== undefined) req.base.watch = watch.spec;
    const outcome = await runCapacity({ ...req, signal: stop.signal });
    const leak = outcome.record?.target?.leak.text;
    if (outcome.result !== undefined) process.stdout.write(capacityReport(outcome.result, leak));
    if (outcome.record !== undefined && out !== undefined) await writeRecord(resolve(out), outcome.record);
    const step = process.env.GITHUB_STEP_SUMMARY;
    if (outcome.result !== undefined && step !== undefined && step !== '' && !a.flags.has('no-step-summary')) await appendFile(step, capacityMarkdown(outcome.result, leak));
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await watch?.stop();
    await target?.close();
  }
}
