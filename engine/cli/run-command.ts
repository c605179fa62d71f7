import { dashboardFromEnv } from '../dashboard/options.js';
import { LoadtsError } from '../errors.js';
import { runSettingsFromEnv } from '../options/env.js';
import { outputSpecsFromEnv, parseOutputSpec, type OutputSpec } from '../output/outputs/index.js';
import { SUMMARY_MODES, type SummaryMode } from '../output/summary-report.js';
import { runTest } from '../runtime/coordinator.js';
import { redactSecrets } from '../runtime/redact.js';
import type { RunRequest } from '../runtime/run-types.js';
import { loadSecretSources } from '../secrets/sources.js';
import type { DemoTarget } from '../target/server.js';
import { trace } from '../trace.js';
import type { CliCommand } from './args.js';
import { logConfigFor } from './log-settings.js';
import { memoryLimit, seriesInterval, workerHeap } from './run-flags.js';
import { startWatch } from './watch-flags.js';

type RunCommand = Extract<CliCommand, { command: 'run' | 'inspect' }>;

/**
 * The flags, over k6's (and loadts's) environment variables for the same run settings:
 * K6_NO_THRESHOLDS, K6_SUMMARY_EXPORT, K6_OUT, ... (LOADTS_* wins over K6_*; a flag over both).
 */
export function withEnvironment(cmd: RunCommand): RunCommand {
  const fromEnv = runSettingsFromEnv(process.env);
  const checked = <T>(raw: string | undefined, name: string, f: (flag: string, v: string) => T): T | undefined => (raw === undefined ? undefined : f(name, raw));
  return {
    ...cmd,
    noThresholds: cmd.noThresholds || fromEnv.noThresholds === true,
    noSummary: cmd.noSummary || fromEnv.noSummary === true,
    noRemoteModules: cmd.noRemoteModules === true || fromEnv.noRemoteModules === true,
    noStepSummary: cmd.noStepSummary || fromEnv.noStepSummary === true,
    summaryExport: cmd.summaryExport ?? fromEnv.summaryExport,
    configPath: cmd.configPath ?? fromEnv.configPath,
    workerHeapMb: cmd.workerHeapMb ?? checked(fromEnv.workerHeap, 'LOADTS_WORKER_HEAP', workerHeap),
    memoryLimitBytes: cmd.memoryLimitBytes ?? checked(fromEnv.memoryLimit, 'LOADTS_MEMORY_LIMIT', memoryLimit),
    seriesIntervalMs: cmd.seriesIntervalMs ?? checked(fromEnv.seriesInterval, 'LOADTS_SERIES_INTERVAL', seriesInterval),
    summaryMode: cmd.summaryMode ?? fromEnv.summaryMode,
    consoleOutput: cmd.consoleOutput ?? fromEnv.consoleOutput,
    logFormat: cmd.logFormat ?? fromEnv.logFormat,
    verbose: cmd.verbose || fromEnv.verbose === true,
  };
}

/** --summary-mode or K6_SUMMARY_MODE, checked (the flag's value was checked when parsed). */
function summaryModeOf(v: string | undefined): SummaryMode | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(SUMMARY_MODES as readonly string[]).includes(v)) throw new LoadtsError('INVALID_OPTION', `summary mode must be one of ${SUMMARY_MODES.join(', ')}, got ${JSON.stringify(v)} (K6_SUMMARY_MODE or LOADTS_SUMMARY_MODE)`);
  return v as SummaryMode;
}

/**
 * --out flags, or (when there are none) K6_OUT / LOADTS_OUT, as in k6; and the web dashboard when
 * K6_WEB_DASHBOARD=true (k6 turns it on apart from --out).
 */
function outputSpecs(cmd: RunCommand): OutputSpec[] {
  const specs = cmd.outputs.length > 0 ? cmd.outputs.map((o) => parseOutputSpec(o, '--out')) : outputSpecsFromEnv(process.env);
  const dashboard = dashboardFromEnv(process.env);
  if (dashboard.on && !specs.some((s) => s.name === 'web-dashboard')) specs.push({ name: 'web-dashboard', arg: undefined, source: dashboard.variable });
  return specs;
}

/** The run request of a command line (the process's streams, signals handled). */
export function runRequest(cmd: RunCommand, env: Record<string, string>): RunRequest {
  const noColor = cmd.noColor || process.env.NO_COLOR !== undefined;
  // Secrets first: their values are redacted from everything this process prints from here on.
  const secretSources = cmd.secretSources === undefined ? undefined : loadSecretSources(cmd.secretSources, process.env, process.cwd());
  if (secretSources !== undefined) redactSecrets(secretSources.flatMap((s) => Object.values(s.values)));
  return {
    scriptPath: cmd.script,
    cwd: process.cwd(),
    flagOptions: cmd.options,
    configPath: cmd.configPath,
    env,
    processEnv: process.env,
    summaryExport: cmd.summaryExport,
    noSummary: cmd.noSummary,
    noThresholds: cmd.noThresholds,
    noRemoteModules: cmd.noRemoteModules,
    secretSources,
    outputs: outputSpecs(cmd),
    seriesIntervalMs: cmd.seriesIntervalMs,
    noStepSummary: cmd.noStepSummary,
    quiet: cmd.quiet,
    noColor,
    log: logConfigFor({ ...cmd, noColor }, process.cwd(), Boolean(process.stderr.isTTY)),
    summaryMode: summaryModeOf(cmd.summaryMode),
    workers: cmd.workers,
    workerHeapMb: cmd.workerHeapMb,
    memoryLimitBytes: cmd.memoryLimitBytes,
    address: cmd.address,
    stdout: process.stdout,
    stderr: process.stderr,
    handleSignals: true,
  };
}

/** `loadts run`: starts the demo target when no BASE_URL is given, then runs the test. */
export async function run(command: RunCommand): Promise<number> {
  trace('cli loaded');
  const cmd = withEnvironment(command);
  const env = { ...cmd.env };
  const request = runRequest(cmd, env);
  let target: DemoTarget | undefined;
  const watch = await startWatch({ pid: cmd.watchPid, cmd: cmd.watchCmd }, env.BASE_URL ?? process.env.BASE_URL);
  if (watch !== undefined) request.watch = watch.spec;
  if (env.BASE_URL === undefined && process.env.BASE_URL === undefined) {
    // loaded only when needed: a run against a real target does not pay for the demo server's code
    const { startDemoTarget } = await import('../target/server.js');
    target = await startDemoTarget({ port: 0, host: '127.0.0.1' });
    env.BASE_URL = target.url;
    if (!cmd.quiet) process.stderr.write(`BASE_URL not set: started the demo target at ${target.url} (see \`loadts serve --help\`)\n`);
  }
  try {
    return (await runTest(request)).exitCode;
  } finally {
    await watch?.stop();
    await target?.close();
  }
}
