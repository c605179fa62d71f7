import type { OptionLayer } from './merge.js';
import {
  checkDurationText,
  parseBooleanText,
  parseIntegerText,
  parseKeyValuesText,
  parseListText,
  parseStagesText,
  type TextContext,
} from './option-text.js';
import type { OptionName, Options } from './types.js';

type Kind = 'integer' | 'string' | 'boolean' | 'list' | 'stages' | 'map' | 'duration';

/**
 * Environment variable suffix → the option it sets and its text form. Each is read as LOADTS_<suffix>
 * and as k6's K6_<suffix>.
 */
export const ENV_OPTIONS: Readonly<Record<string, readonly [OptionName, Kind]>> = {
  VUS: ['vus', 'integer'],
  DURATION: ['duration', 'duration'],
  ITERATIONS: ['iterations', 'integer'],
  STAGES: ['stages', 'stages'],
  SUMMARY_TREND_STATS: ['summaryTrendStats', 'list'],
  SUMMARY_TIME_UNIT: ['summaryTimeUnit', 'string'],
  USER_AGENT: ['userAgent', 'string'],
  DISCARD_RESPONSE_BODIES: ['discardResponseBodies', 'boolean'],
  NO_CONNECTION_REUSE: ['noConnectionReuse', 'boolean'],
  NO_VU_CONNECTION_REUSE: ['noVUConnectionReuse', 'boolean'],
  INSECURE_SKIP_TLS_VERIFY: ['insecureSkipTLSVerify', 'boolean'],
  NO_COOKIES_RESET: ['noCookiesReset', 'boolean'],
  MAX_REDIRECTS: ['maxRedirects', 'integer'],
  BATCH: ['batch', 'integer'],
  BATCH_PER_HOST: ['batchPerHost', 'integer'],
  MAX_RESPONSE_BODY_SIZE: ['maxResponseBodySize', 'string'],
  NO_COLOR: ['noColor', 'boolean'],
  SETUP_TIMEOUT: ['setupTimeout', 'duration'],
  TEARDOWN_TIMEOUT: ['teardownTimeout', 'duration'],
  EXECUTION_SEGMENT: ['executionSegment', 'string'],
  EXECUTION_SEGMENT_SEQUENCE: ['executionSegmentSequence', 'string'],
  TAGS: ['tags', 'map'],
  HOSTS: ['hosts', 'map'],
};

/** Prefixes in rising priority: LOADTS_ wins over K6_. */
const PREFIXES = ['K6_', 'LOADTS_'] as const;

function read(kind: Kind, raw: string, ctx: TextContext): unknown {
  switch (kind) {
    case 'integer':
      return parseIntegerText(raw, ctx);
    case 'boolean':
      return parseBooleanText(raw, ctx);
    case 'list':
      return parseListText(raw);
    case 'stages':
      return parseStagesText(raw, ctx, false);
    case 'map':
      return parseKeyValuesText(raw, ctx);
    case 'duration':
      return checkDurationText(raw, ctx, false);
    case 'string':
      return raw.trim();
  }
}

/** One option from the environment and the variable that set it. */
interface EnvOption {
  option: OptionName;
  variable: string;
  value: unknown;
}

function readAll(env: Readonly<Record<string, string | undefined>>): EnvOption[] {
  const found = new Map<OptionName, EnvOption>();
  for (const [suffix, [option, kind]] of Object.entries(ENV_OPTIONS)) {
    for (const prefix of PREFIXES) {
      const variable = prefix + suffix;
      const raw = env[variable];
      // An empty variable counts as unset (CI templates often expand missing inputs to '').
      if (raw === undefined || raw.trim() === '') continue;
      const value = read(kind, raw, { where: `environment variable ${variable}`, code: 'INVALID_OPTION' });
      found.set(option, { option, variable, value });
    }
  }
  return [...found.values()];
}

/**
 * Options from LOADTS_* environment variables. k6's K6_* names are read too (LOADTS_ wins), so CI
 * jobs written for k6 keep working. Empty variables are ignored. Text forms follow k6:
 * K6_STAGES='30s:10,1m:0', K6_TAGS='k=v,k2=v2' (or 'k:v'), K6_SUMMARY_TREND_STATS='avg,p(99)',
 * booleans true/false/1/0; durations as in options ('30s'; a plain number is milliseconds).
 * @throws LoadtsError INVALID_OPTION naming the variable when a value cannot be read
 */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): Options {
  const out: Record<string, unknown> = {};
  for (const o of readAll(env)) out[o.option] = o.value;
  return out as Options;
}

/**
 * The environment as an option layer whose errors name the variable that set each option
 * ('vus (environment variable K6_VUS)') rather than just 'environment'.
 */
export function environmentLayer(env: Readonly<Record<string, string | undefined>>): OptionLayer {
  const options: Record<string, unknown> = {};
  const sources: Partial<Record<OptionName, string>> = {};
  for (const o of readAll(env)) {
    options[o.option] = o.value;
    sources[o.option] = `environment variable ${o.variable}`;
  }
  return { source: 'environment', options: options as Options, sources };
}

/** Run settings k6 also reads from the environment; they are not options (the CLI owns them). */
export interface EnvRunSettings {
  noThresholds?: boolean;
  noSummary?: boolean;
  summaryExport?: string;
  configPath?: string;
  noRemoteModules?: boolean;
  /** LOADTS_WORKER_HEAP (MiB) and LOADTS_MEMORY_LIMIT (a size): checked by the CLI like their flags. */
  workerHeap?: string;
  memoryLimit?: string;
  seriesInterval?: string;
  noStepSummary?: boolean;
  summaryMode?: string;
  consoleOutput?: string;
  logFormat?: string;
  verbose?: boolean;
}

const RUN_SETTINGS: Readonly<Record<string, readonly [keyof EnvRunSettings, 'boolean' | 'string']>> = {
  NO_THRESHOLDS: ['noThresholds', 'boolean'],
  NO_SUMMARY: ['noSummary', 'boolean'],
  SUMMARY_EXPORT: ['summaryExport', 'string'],
  CONFIG: ['configPath', 'string'],
  NO_REMOTE_MODULES: ['noRemoteModules', 'boolean'],
  WORKER_HEAP: ['workerHeap', 'string'],
  MEMORY_LIMIT: ['memoryLimit', 'string'],
  SERIES_INTERVAL: ['seriesInterval', 'string'],
  NO_STEP_SUMMARY: ['noStepSummary', 'boolean'],
  SUMMARY_MODE: ['summaryMode', 'string'],
  CONSOLE_OUTPUT: ['consoleOutput', 'string'],
  LOG_FORMAT: ['logFormat', 'string'],
  VERBOSE: ['verbose', 'boolean'],
};

/**
 * k6's environment variables for run settings that are flags in loadts: K6_NO_THRESHOLDS,
 * K6_NO_SUMMARY, K6_SUMMARY_EXPORT, K6_CONFIG, K6_SUMMARY_MODE, K6_CONSOLE_OUTPUT, K6_LOG_FORMAT,
 * K6_VERBOSE (and LOADTS_*, which win). Flags override them.
 */
export function runSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): EnvRunSettings {
  const out: Record<string, unknown> = {};
  for (const [suffix, [key, kind]] of Object.entries(RUN_SETTINGS)) {
    for (const prefix of PREFIXES) {
      const variable = prefix + suffix;
      const raw = env[variable];
      if (raw === undefined || raw.trim() === '') continue;
      out[key] = kind === 'boolean' ? parseBooleanText(raw, { where: `environment variable ${variable}`, code: 'INVALID_OPTION' }) : raw.trim();
    }
  }
  return out as EnvRunSettings;
}
