import { formatDuration } from '../options/duration.js';
import { describePlan } from '../execution/plan.js';
import { maskedOptions } from '../options/tls.js';
import { prepareTest } from '../runtime/prepare.js';
import type { CliCommand } from './args.js';
import { runSettingsFromEnv } from '../options/env.js';
import { loadSecretSources } from '../secrets/sources.js';
import { redactSecrets } from '../runtime/redact.js';
import { redactText } from '../redact.js';
import type { ResolvedOptions, ResolvedScenario, ResolvedStage } from '../options/types.js';

/**
 * `loadts inspect script.ts`: the resolved options and each scenario's plan, without running load.
 * With --json, the same as JSON.
 */
export async function inspect(cmd: Extract<CliCommand, { command: 'run' | 'inspect' }>): Promise<number> {
  const secretSources = cmd.secretSources === undefined ? undefined : loadSecretSources(cmd.secretSources, process.env, process.cwd());
  if (secretSources !== undefined) redactSecrets(secretSources.flatMap((s) => Object.values(s.values)));
  const prepared = await prepareTest({
    secretSources,
    scriptPath: cmd.script,
    cwd: process.cwd(),
    flagOptions: cmd.options,
    configPath: cmd.configPath,
    env: cmd.env,
    processEnv: process.env,
    noSummary: true,
    noThresholds: cmd.noThresholds,
    noRemoteModules: cmd.noRemoteModules === true || runSettingsFromEnv(process.env).noRemoteModules === true,
    quiet: true,
    noColor: cmd.noColor,
    workers: cmd.workers,
    warn: (line) => process.stderr.write(`${redactText(line)}\n`),
  });
  try {
    const { options, wholePlans, processPlans, workers, init } = prepared;
    const report = {
      options: maskedOptions(options),
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
      process.stdout.write(`${redactText(JSON.stringify(report, null, 2))}\n`);
      return 0;
    }
    const lines = [`execution segment ${options.executionSegment}${options.executionSegmentSequence ? ` of ${options.executionSegmentSequence}` : ''}, ${workers} worker thread${workers === 1 ? '' : 's'}`, ''];
    processPlans.forEach((p, i) => {
      lines.push(`scenario ${p.name} (${p.executor})`);
      lines.push(`  starts at ${formatDuration(p.startTimeMs)}, runs ${formatDuration(p.durationMs)} + ${formatDuration(p.gracefulStopMs)} graceful stop`);
      const scenario = options.scenarios[i];
      if (scenario !== undefined) lines.push(`  load: ${describeLoad(scenario)}`);
      lines.push(`  plan: ${describePlan(p)}`);
    });
    lines.push('', 'resolved options (use -v for JSON with everything):');
    lines.push(JSON.stringify({ ...maskedOptions(options), scenarios: undefined }, null, 2));
    process.stdout.write(`${redactText(lines.join('\n'))}\n`);
    return 0;
  } finally {
    await prepared.dispose();
  }
}

/** A scenario's load as written, test-wide: VUs and iterations, or the rate and its stages. */
export function describeLoad(s: ResolvedScenario): string {
  const d = formatDuration;
  const stages = (from: number, list: readonly ResolvedStage[], unit: string): string =>
    `${from}${unit}, then ${list.map((st) => `→ ${st.target} over ${d(st.durationMs)}`).join(', ')}`;
  switch (s.executor) {
    case 'shared-iterations':
      return `${s.iterations} iterations shared by ${s.vus} VUs (at most ${d(s.maxDurationMs)})`;
    case 'per-vu-iterations':
      return `${s.iterations} iterations for each of ${s.vus} VUs (at most ${d(s.maxDurationMs)})`;
    case 'constant-vus':
      return `${s.vus} VUs looping for ${d(s.durationMs)}`;
    case 'ramping-vus':
      return `VUs ${stages(s.startVUs, s.stages, '')}; ramp-downs get ${d(s.gracefulRampDownMs)} to finish`;
    case 'constant-arrival-rate':
      return `${s.rate} iterations per ${d(s.timeUnitMs)} for ${d(s.durationMs)}; ${s.preAllocatedVUs} VUs pre-allocated, up to ${s.maxVUs}`;
    case 'ramping-arrival-rate':
      return `iterations per ${d(s.timeUnitMs)}: ${stages(s.startRate, s.stages, '')}; ${s.preAllocatedVUs} VUs pre-allocated, up to ${s.maxVUs}`;
    case 'externally-controlled':
      return `${s.vus} VUs (up to ${s.maxVUs}) for ${d(s.durationMs)}, changed through the REST API (--address)`;
  }
}

