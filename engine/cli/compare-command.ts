import { basename, resolve } from 'node:path';
import { ExitCode, LoadtsError } from '../errors.js';
import { compareRecords, type CompareSettings } from '../compare/compare.js';
import { judgeFailOn, parseFailOn } from '../compare/fail-on.js';
import { compareMarkdown, compareText, conclusion } from '../compare/format.js';
import { readRecord } from '../record/io.js';
import type { RunRecord } from '../record/types.js';
import { COMPARE_FLAGS, COMPARE_HELP } from './compare-help.js';
import { parseSimpleArgs } from './record-args.js';

/** '95%' or 0.95 → 0.95. */
function share(flag: string, raw: string, min: number, max: number): number {
  const t = raw.trim();
  const n = t.endsWith('%') ? Number(t.slice(0, -1)) / 100 : Number(t);
  if (t === '' || !Number.isFinite(n) || n < min || n >= max) throw new LoadtsError('INVALID_FLAG', `--${flag} needs a share such as 95% or 0.95, got ${JSON.stringify(raw)}`);
  return n;
}

function describe(file: string, r: RunRecord): string {
  return `${basename(file)} (${r.startedAt.replace(/\.\d+Z$/, 'Z')}, ${(r.durationMs / 1000).toFixed(1)}s)`;
}

/**
 * A difference in where the runs ran that can move their numbers: another machine, or one much
 * busier (load average per core at the start differs by more than 0.5).
 */
export function environmentNote(a: RunRecord, b: RunRecord): string | undefined {
  const ea = a.environment;
  const eb = b.environment;
  if (ea === undefined || eb === undefined) return undefined;
  if (ea.hostname !== eb.hostname || ea.cpu.model !== eb.cpu.model) return `the runs ran on different machines (${ea.hostname}, ${eb.hostname}): a change may be the machine's`;
  const perCore = (e: typeof ea) => (e.loadAverage.start[0] ?? 0) / Math.max(1, e.cpu.logicalCores);
  if (Math.abs(perCore(ea) - perCore(eb)) > 0.5) {
    return `the machine was busier during one run (1-minute load average ${ea.loadAverage.start[0]?.toFixed(1)} vs ${eb.loadAverage.start[0]?.toFixed(1)} on ${ea.cpu.logicalCores} cores): a change may be the machine's`;
  }
  return undefined;
}

/** `loadts compare base.json new.json`: what changed between two runs, told apart from noise. */
export async function compareCommand(args: readonly string[]): Promise<number> {
  const a = parseSimpleArgs('compare', args, COMPARE_FLAGS);
  if (a === undefined) {
    process.stdout.write(`${COMPARE_HELP}\n`);
    return ExitCode.OK;
  }
  if (a.positional.length !== 2) throw new LoadtsError('INVALID_FLAG', 'loadts compare takes two run records: loadts compare base.json new.json');
  const format = a.flags.get('format')?.[0] ?? 'text';
  if (!['text', 'markdown', 'json'].includes(format)) throw new LoadtsError('INVALID_FLAG', `--format must be text, markdown or json, got ${JSON.stringify(format)}`);
  const settings: CompareSettings = {
    confidence: share('confidence', a.flags.get('confidence')?.[0] ?? '95%', 0.5, 1),
    noise: share('noise', a.flags.get('noise')?.[0] ?? '5%', 0, 1),
    draws: 1000,
  };
  const gates = (a.flags.get('fail-on') ?? []).map(parseFailOn);
  const [baseFile, nextFile] = a.positional as [string, string];
  const [base, next] = await Promise.all([readRecord(resolve(baseFile)), readRecord(resolve(nextFile))]);
  const rows = compareRecords(base, next, settings, a.flags.get('metric') ?? []);
  const outcomes = gates.map((g) => judgeFailOn(g, base, next, settings));
  const title = `loadts compare: ${describe(baseFile, base)} → ${describe(nextFile, next)}`;
  const blocks = rows.some((r) => r.method === 'block bootstrap');
  const method = `${(settings.confidence * 100).toFixed(0)}% intervals: percentiles by ${blocks ? 'block bootstrap over the time series\' intervals' : 'bootstrap of the full histograms'} (${settings.draws} draws), rates by Newcombe's method; percentile changes under ${(settings.noise * 100).toFixed(0)}% count as no change`;
  const note = environmentNote(base, next);
  if (note !== undefined && format !== 'json') process.stderr.write(`note: ${note}\n`);
  if (format === 'json') process.stdout.write(`${JSON.stringify({ base: baseFile, new: nextFile, settings, rows, failOn: outcomes.map((o) => ({ gate: o.gate.source, crossed: o.crossed, row: o.row, problem: o.problem })), verdict: conclusion(rows, outcomes) }, null, 2)}\n`);
  else process.stdout.write(format === 'markdown' ? compareMarkdown(title, method, rows, outcomes) : compareText(title, method, rows, outcomes));
  return outcomes.some((o) => o.crossed) ? ExitCode.ThresholdsFailed : ExitCode.OK;
}
