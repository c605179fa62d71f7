import { LoadtsError } from '../errors.js';
import { didYouMean, isPlainObject, show } from './checks.js';
import type { OptionName, Options } from './types.js';

/** Options from one source. Layers are passed lowest priority first. */
export interface OptionLayer {
  /** 'defaults', 'config file cfg.yaml', 'script', 'environment', 'command line'. */
  source: string;
  options: Options;
  /** Per-option source labels that override `source` in messages, e.g. 'environment variable K6_VUS'. */
  sources?: Partial<Record<OptionName, string>>;
}

/** Every option loadts reads (the keys of Options). */
const OPTION_NAMES: Readonly<Record<OptionName, true>> = {
  vus: true,
  duration: true,
  iterations: true,
  stages: true,
  scenarios: true,
  thresholds: true,
  tags: true,
  summaryTrendStats: true,
  summaryTimeUnit: true,
  setupTimeout: true,
  teardownTimeout: true,
  userAgent: true,
  discardResponseBodies: true,
  noConnectionReuse: true,
  noVUConnectionReuse: true,
  maxRedirects: true,
  insecureSkipTLSVerify: true,
  tlsVersion: true,
  tlsAuth: true,
  tlsCipherSuites: true,
  noCookiesReset: true,
  hosts: true,
  batch: true,
  batchPerHost: true,
  maxResponseBodySize: true,
  executionSegment: true,
  executionSegmentSequence: true,
  noColor: true,
};

/** k6 options loadts does not implement: ignored with a warning, since a k6 script may set them. */
const K6_UNSUPPORTED = new Set([
  'paused',
  'noSetup',
  'noTeardown',
  'rps',
  'dns',
  'httpDebug',
  'throw',
  'blacklistIPs',
  'blockHostnames',
  'minIterationDuration',
  'systemTags',
  'metricSamplesBufferSize',
  'localIPs',
  'consoleOutput',
  'out',
  'linger',
  'noUsageReport',
  'collectors',
  'webDashboard',
  'noArchiveUpload',
  'noThresholds',
  'noSummary',
  'summaryExport',
  'execution',
  'vusMax',
]);

/** k6 cloud metadata: ignored silently, as a local k6 run ignores it. */
const K6_SILENT = new Set(['ext', 'cloud']);

/** The options that define execution: a layer setting any replaces all of them from lower layers (k6). */
export const EXECUTION_OPTIONS = ['duration', 'iterations', 'stages', 'scenarios'] as const;

/** The merged options and, for each, the source that set it. */
export interface Merged {
  options: Record<string, unknown>;
  origins: Partial<Record<OptionName, string>>;
}

function isOptionName(key: string): key is OptionName {
  return Object.hasOwn(OPTION_NAMES, key);
}

/**
 * Merges layers as k6's `Options.Apply` does: a later layer replaces an option as a whole (objects
 * such as `tags`, `hosts` and `thresholds` are replaced, not deep-merged). Execution options are
 * special: a layer that sets any of duration, iterations, stages or scenarios drops all four from
 * lower layers, so `k6 run -d 30s` replaces the script's scenarios and a script's scenarios replace
 * a config file's duration. `vus` alone does not (it is a parameter, not a shape). Null and
 * undefined values count as unset. Unknown keys are skipped with a warning.
 */
export function mergeLayers(layers: readonly OptionLayer[], warnings: string[]): Merged {
  const options: Record<string, unknown> = {};
  const origins: Partial<Record<OptionName, string>> = {};
  for (const layer of layers) {
    const raw: unknown = layer.options;
    if (raw === undefined || raw === null) continue;
    if (!isPlainObject(raw)) throw new LoadtsError('INVALID_OPTION', `invalid options (${layer.source}): must be an object, got ${show(raw)}`);
    const set = Object.entries(raw).filter(([, v]) => v !== undefined && v !== null);
    for (const [key] of set) {
      if (isOptionName(key) || K6_SILENT.has(key)) continue;
      if (K6_UNSUPPORTED.has(key)) warnings.push(`option ${key} (${layer.source}) is a k6 option loadts does not support; it is ignored`);
      else warnings.push(`unknown option ${key} (${layer.source}) is ignored${didYouMean(key, Object.keys(OPTION_NAMES))}`);
    }
    const execution = EXECUTION_OPTIONS.filter((k) => set.some(([key]) => key === k));
    if (execution.length > 0) {
      if (options.scenarios !== undefined) {
        warnings.push(`scenarios from ${origins.scenarios} are replaced entirely by ${execution.join(', ')} from ${layer.source}`);
      }
      for (const k of EXECUTION_OPTIONS) {
        delete options[k];
        delete origins[k];
      }
    }
    for (const [key, value] of set) {
      if (!isOptionName(key)) continue;
      options[key] = value;
      origins[key] = layer.sources?.[key] ?? layer.source;
    }
  }
  return { options, origins };
}
