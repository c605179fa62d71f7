import { loadtsVersion } from '../options/version.js';
import { trace } from '../trace.js';
import { ExitCode, LoadtsError, toError } from '../errors.js';
import { redactText } from '../redact.js';
import type { DemoTarget } from '../target/server.js';
import { parseArgs, type CliCommand } from './args.js';
import { runSettingsFromEnv } from '../options/env.js';
import { loadSecretSources } from '../secrets/sources.js';
import { redactSecrets } from '../runtime/redact.js';
import { helpText } from './help.js';
import { memoryLimit, workerHeap } from './run-flags.js';
import { logConfigFor } from './log-settings.js';
import { SUMMARY_MODES, type SummaryMode } from '../output/summary-report.js';
import { inspect } from './inspect.js';
import { runTest } from '../runtime/coordinator.js';

/** The package version, from package.json. */
export function version(): string {
  return loadtsVersion();
}

type RunCommand = Extract<CliCommand, { command: 'run' | 'inspect' }>;

/** `loadts run`: starts the demo target when no BASE_URL is given, then runs the test. */
async function run(cmd: RunCommand): Promise<number> {
  trace('cli loaded');
  // k6's K6_NO_THRESHOLDS, K6_NO_SUMMARY, K6_SUMMARY_EXPORT, K6_CONFIG (and LOADTS_*), under the flags
  const fromEnv = runSettingsFromEnv(process.env);
  cmd = {
    ...cmd,
    noThresholds: cmd.noThresholds || fromEnv.noThresholds === true,
    noSummary: cmd.noSummary || fromEnv.noSummary === true,
    noRemoteModules: cmd.noRemoteModules === true || fromEnv.noRemoteModules === true,
    summaryExport: cmd.summaryExport ?? fromEnv.summaryExport,
    configPath: cmd.configPath ?? fromEnv.configPath,
    workerHeapMb: cmd.workerHeapMb ?? (fromEnv.workerHeap === undefined ? undefined : workerHeap('LOADTS_WORKER_HEAP', fromEnv.workerHeap)),
    memoryLimitBytes: cmd.memoryLimitBytes ?? (fromEnv.memoryLimit === undefined ? undefined : memoryLimit('LOADTS_MEMORY_LIMIT', fromEnv.memoryLimit)),
    summaryMode: cmd.summaryMode ?? fromEnv.summaryMode,
    consoleOutput: cmd.consoleOutput ?? fromEnv.consoleOutput,
    logFormat: cmd.logFormat ?? fromEnv.logFormat,
    verbose: cmd.verbose || fromEnv.verbose === true,
  };
  const noColor = cmd.noColor || process.env.NO_COLOR !== undefined;
  const log = logConfigFor({ ...cmd, noColor }, process.cwd(), Boolean(process.stderr.isTTY));
  // Secrets first: their values are redacted from everything this process prints from here on.
  const secretSources = cmd.secretSources === undefined ? undefined : loadSecretSources(cmd.secretSources, process.env, process.cwd());
  if (secretSources !== undefined) redactSecrets(secretSources.flatMap((s) => Object.values(s.values)));
  let target: DemoTarget | undefined;
  const env = { ...cmd.env };
  if (env.BASE_URL === undefined && process.env.BASE_URL === undefined) {
    // loaded only when needed: a run against a real target does not pay for the demo server's code
    const { startDemoTarget } = await import('../target/server.js');
    target = await startDemoTarget({ port: 0, host: '127.0.0.1' });
    env.BASE_URL = target.url;
    if (!cmd.quiet) process.stderr.write(`BASE_URL not set: started the demo target at ${target.url} (see \`loadts serve --help\`)\n`);
  }
  try {
    const outcome = await runTest({
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
      quiet: cmd.quiet,
      noColor,
      log,
      summaryMode: summaryModeOf(cmd.summaryMode),
      workers: cmd.workers,
      workerHeapMb: cmd.workerHeapMb,
      memoryLimitBytes: cmd.memoryLimitBytes,
      address: cmd.address,
      stdout: process.stdout,
      stderr: process.stderr,
      handleSignals: true,
    });
    return outcome.exitCode;
  } finally {
    await target?.close();
  }
}

/** --summary-mode or K6_SUMMARY_MODE, checked (the flag's value was checked when parsed). */
function summaryModeOf(v: string | undefined): SummaryMode | undefined {
  if (v === undefined || v === '') return undefined;
  if (!(SUMMARY_MODES as readonly string[]).includes(v)) throw new LoadtsError('INVALID_OPTION', `summary mode must be one of ${SUMMARY_MODES.join(', ')}, got ${JSON.stringify(v)} (K6_SUMMARY_MODE or LOADTS_SUMMARY_MODE)`);
  return v as SummaryMode;
}

/** `loadts serve`: the demo target in the foreground until Ctrl-C. */
async function serve(port: number, host: string, tls: boolean, h2: boolean): Promise<number> {
  const { startDemoTarget, DEMO_TARGET_ENDPOINTS } = await import('../target/server.js');
  let target: DemoTarget;
  try {
    target = await startDemoTarget({ port, host, tls, h2 });
  } catch (e) {
    // a port in use or not allowed is a flag problem: one line, exit 104
    throw new LoadtsError('INVALID_FLAG', `${toError(e).message} (choose another --port, or --port 0 for any free one)`);
  }
  process.stdout.write(`loadts demo target listening on ${target.url}${h2 ? ' (HTTP/2 and HTTP/1.1)' : ''}\n`);
  if (tls) process.stdout.write('  self-signed certificate generated at start: run tests with insecureSkipTLSVerify: true (or --insecure-skip-tls-verify)\n');
  for (const e of DEMO_TARGET_ENDPOINTS) process.stdout.write(`  ${e.path.padEnd(28)} ${e.description}\n`);
  process.stdout.write('Press Ctrl-C to stop.\n');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await target.close();
  return ExitCode.OK;
}

/** Runs the `loadts` command line and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const cmd = parseArgs(argv);
    switch (cmd.command) {
      case 'help':
        process.stdout.write(`${helpText(cmd.topic)}\n`);
        return ExitCode.OK;
      case 'version':
        process.stdout.write(`loadts ${version()} (node ${process.version})\n`);
        return ExitCode.OK;
      case 'serve':
        return await serve(cmd.port, cmd.host, cmd.tls === true, cmd.h2 === true);
      case 'inspect':
        return await inspect(cmd);
      case 'run':
        return await run(cmd);
    }
    return ExitCode.GenericEngine;
  } catch (e) {
    if (e instanceof LoadtsError) {
      process.stderr.write(`error: ${redactText(e.message)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`error: ${redactText(toError(e).stack ?? String(e))}\n`);
    return ExitCode.GenericEngine;
  }
}
