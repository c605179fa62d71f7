import { LoadtsError } from '../errors.js';
import { byteSize } from './byte-size.js';
import { boolean, duration, integer, invalid, isPlainObject, show, string, stringMap, type Where } from './checks.js';
import { mergeLayers, type OptionLayer } from './merge.js';
import {
  fillSequence,
  formatExecutionSegment,
  formatSequence,
  isSegmentOfSequence,
  parseExecutionSegment,
  parseExecutionSegmentSequence,
  sequenceSegments,
} from './segment.js';
import { scenariosFromOptions } from './shortcuts.js';
import { checkShadowedValues } from './shadowed.js';
import { resolveThresholds } from './thresholds.js';
import { resolveTlsAuth, resolveTlsVersion } from './tls.js';
import { resolveTlsCipherSuites } from './cipher-suites.js';
import { DEFAULT_SUMMARY_TREND_STATS, trendStatProblem } from './trend-stats.js';
import type { OptionName, ResolvedOptions } from './types.js';
import { loadtsVersion } from './version.js';

export type { OptionLayer } from './merge.js';

/** What resolution may check against the loaded script. */
export interface ResolveContext {
  /** Names of the script's exported functions; when given, every scenario's `exec` must be one. */
  exportedFunctions?: ReadonlySet<string>;
}

/** Resolved options and the warnings found on the way (one line each, for the terminal). */
export interface ResolvedWithWarnings {
  options: ResolvedOptions;
  /**
   * Things k6 also accepts but that are probably not what the user meant: unknown or unsupported
   * option names, scenarios replaced by a higher source's shortcuts, `vus` without effect, ...
   */
  warnings: string[];
}

/** k6's defaults for everything that is not a scenario parameter. */
export const OPTION_DEFAULTS = {
  setupTimeoutMs: 60_000,
  teardownTimeoutMs: 60_000,
  maxRedirects: 10,
  batch: 20,
  batchPerHost: 6,
  maxResponseBodySize: 256 * 2 ** 20,
  executionSegment: '0:1',
  executionSegmentSequence: '',
} as const;

const TIME_UNITS = ['', 's', 'ms', 'us'] as const;

function resolveSegments(m: Readonly<Record<string, unknown>>, where: (o: OptionName) => Where): Pick<ResolvedOptions, 'executionSegment' | 'executionSegmentSequence'> {
  const segText = m.executionSegment === undefined ? '' : string(m.executionSegment, where('executionSegment'));
  const seqText = m.executionSegmentSequence === undefined ? '' : string(m.executionSegmentSequence, where('executionSegmentSequence'));
  const wrap = <T>(o: OptionName, f: (label: string) => T): T => {
    try {
      return f(`option ${where(o).path}${where(o).source ? ` (${where(o).source})` : ''}`);
    } catch (e) {
      if (e instanceof LoadtsError) throw new LoadtsError('INVALID_OPTION', e.message);
      throw e;
    }
  };
  const segment = wrap('executionSegment', (label) => parseExecutionSegment(segText, label));
  const points = wrap('executionSegmentSequence', (label) => parseExecutionSegmentSequence(seqText, label));
  if (points.length > 0 && !isSegmentOfSequence(segment, points)) {
    const segments = sequenceSegments(points).map(formatExecutionSegment).join(', ');
    throw invalid(
      where(m.executionSegment === undefined ? 'executionSegmentSequence' : 'executionSegment'),
      `the execution segment ${formatExecutionSegment(segment)} is not one of the sequence's segments (${segments})`,
    );
  }
  return {
    executionSegment: formatExecutionSegment(segment),
    executionSegmentSequence: points.length > 0 ? formatSequence(fillSequence(points)) : '',
  };
}

/**
 * Merges option layers (lowest priority first: defaults < config file < script < environment <
 * command line) with k6's rules, turns shortcuts into scenarios, validates every option (also the
 * values a higher layer overrides: see shadowed.ts) and fills
 * in k6's defaults. The first mistake is thrown as one LoadtsError whose one-line message names
 * the option path and the source that set it, e.g.
 * `invalid option scenarios.api.rate (script): required for constant-arrival-rate (...)`.
 */
export function resolveOptionsWithWarnings(layers: readonly OptionLayer[], ctx: ResolveContext = {}): ResolvedWithWarnings {
  if (layers.length > 1) checkShadowedValues(layers, (layer) => resolveOptionsWithWarnings([layer]));
  const warnings: string[] = [];
  const { options: m, origins } = mergeLayers(layers, warnings);
  const where = (option: OptionName): Where => ({ path: option, source: origins[option], code: 'INVALID_OPTION' });
  const has = (o: OptionName): boolean => m[o] !== undefined;

  const scenarios = scenariosFromOptions(m, origins, ctx.exportedFunctions, warnings);

  let summaryTrendStats = [...DEFAULT_SUMMARY_TREND_STATS];
  if (has('summaryTrendStats')) {
    const stats = m.summaryTrendStats;
    if (!Array.isArray(stats)) throw invalid(where('summaryTrendStats'), `must be a list like ["avg", "p(99)"], got ${show(stats)}`);
    summaryTrendStats = stats.map((s, i) => {
      const w = { ...where('summaryTrendStats'), path: `summaryTrendStats[${i}]` };
      const problem = trendStatProblem(string(s, w));
      if (problem) throw invalid(w, problem);
      return s as string;
    });
  }
  const summaryTimeUnit = has('summaryTimeUnit') ? string(m.summaryTimeUnit, where('summaryTimeUnit')) : '';
  if (!(TIME_UNITS as readonly string[]).includes(summaryTimeUnit)) {
    throw invalid(where('summaryTimeUnit'), `must be s, ms or us, got ${show(summaryTimeUnit)}`);
  }

  const hosts = stringMap(m.hosts, where('hosts'));
  for (const [name, address] of Object.entries(hosts)) {
    if (address.trim() === '' || /\s/.test(address)) throw invalid({ ...where('hosts'), path: `hosts[${JSON.stringify(name)}]` }, `must be "ip" or "ip:port", got ${show(address)}`);
  }
  if (has('tags') && !isPlainObject(m.tags)) throw invalid(where('tags'), `must be an object of name → value, got ${show(m.tags)}`);

  const options: ResolvedOptions = {
    scenarios,
    thresholds: resolveThresholds(m.thresholds, { ...where('thresholds'), code: 'INVALID_THRESHOLD' }, warnings),
    tags: stringMap(m.tags, where('tags')),
    summaryTrendStats,
    summaryTimeUnit: summaryTimeUnit as ResolvedOptions['summaryTimeUnit'],
    setupTimeoutMs: has('setupTimeout') ? duration(m.setupTimeout, where('setupTimeout'), true) : OPTION_DEFAULTS.setupTimeoutMs,
    teardownTimeoutMs: has('teardownTimeout') ? duration(m.teardownTimeout, where('teardownTimeout'), true) : OPTION_DEFAULTS.teardownTimeoutMs,
    userAgent: has('userAgent') ? string(m.userAgent, where('userAgent')) : `loadts/${loadtsVersion()}`,
    discardResponseBodies: boolean(m.discardResponseBodies, where('discardResponseBodies'), false),
    noConnectionReuse: boolean(m.noConnectionReuse, where('noConnectionReuse'), false),
    noVUConnectionReuse: boolean(m.noVUConnectionReuse, where('noVUConnectionReuse'), false),
    maxRedirects: has('maxRedirects') ? integer(m.maxRedirects, where('maxRedirects')) : OPTION_DEFAULTS.maxRedirects,
    insecureSkipTLSVerify: boolean(m.insecureSkipTLSVerify, where('insecureSkipTLSVerify'), false),
    tlsVersion: resolveTlsVersion(m.tlsVersion, where('tlsVersion')),
    tlsAuth: resolveTlsAuth(m.tlsAuth, where('tlsAuth')),
    tlsCipherSuites: resolveTlsCipherSuites(m.tlsCipherSuites, where('tlsCipherSuites')),
    noCookiesReset: boolean(m.noCookiesReset, where('noCookiesReset'), false),
    hosts,
    batch: has('batch') ? integer(m.batch, where('batch'), 1) : OPTION_DEFAULTS.batch,
    batchPerHost: has('batchPerHost') ? integer(m.batchPerHost, where('batchPerHost')) : OPTION_DEFAULTS.batchPerHost,
    maxResponseBodySize: has('maxResponseBodySize') ? byteSize(m.maxResponseBodySize, where('maxResponseBodySize')) : OPTION_DEFAULTS.maxResponseBodySize,
    ...resolveSegments(m, where),
    noColor: boolean(m.noColor, where('noColor'), false),
  };
  return { options, warnings };
}

/** `resolveOptionsWithWarnings` without the warnings. */
export function resolveOptions(layers: readonly OptionLayer[], ctx: ResolveContext = {}): ResolvedOptions {
  return resolveOptionsWithWarnings(layers, ctx).options;
}
