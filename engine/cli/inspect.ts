import { formatDuration } from '../options/duration.js';
import { prepareTest, describePlan } from '../runtime/coordinator.js';
import type { CliCommand } from './args.js';

/**
 * `loadts inspect script.ts`: the resolved options and each scenario's plan, without running load.
 * With --json, the same as JSON.
 */
export async function inspect(cmd: Extract<CliCommand, { command: 'run' | 'inspect' }>): Promise<number> {
  const prepared = await prepareTest({
    scriptPath: cmd.script,
    cwd: process.cwd(),
    flagOptions: cmd.options,
    configPath: cmd.configPath,
    env: cmd.env,
    processEnv: process.env,
    noSummary: true,
    noThresholds: cmd.noThresholds,
    quiet: true,
    noColor: cmd.noColor,
    workers: cmd.workers,
    warn: (line) => process.stderr.write(`${line}\n`),
  });
  try {
    const { options, wholePlans, processPlans, workers, init } = prepared;
    const report = {
      options,
      plans: processPlans.map((p) => ({
        ...p,
        totalDurationMs: p.startTimeMs + p.durationMs + p.gracefulStopMs,
      })),
      wholeTestPlans: options.executionSegment === '0:1' ? undefined : wholePlans,
      workers,
      exports: init.functions,
      metrics: init.metricDefs,
    };
    if (cmd.verbose) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines = [`execution segment ${options.executionSegment}${options.executionSegmentSequence ? ` of ${options.executionSegmentSequence}` : ''}, ${workers} worker thread${workers === 1 ? '' : 's'}`, ''];
    for (const p of processPlans) {
      lines.push(`scenario ${p.name} (${p.executor})`);
      lines.push(`  starts at ${formatDuration(p.startTimeMs)}, runs ${formatDuration(p.durationMs)} + ${formatDuration(p.gracefulStopMs)} graceful stop`);
      lines.push(`  ${describePlan(p)}`);
    }
    lines.push('', 'resolved options (use -v for JSON with everything):');
    lines.push(JSON.stringify({ ...options, scenarios: undefined }, null, 2));
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  } finally {
    await prepared.dispose();
  }
}
