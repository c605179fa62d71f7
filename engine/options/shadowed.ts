import { LoadtsError } from '../errors.js';
import { EXECUTION_OPTIONS, type OptionLayer } from './merge.js';
import { parseExecutionSegmentSequence } from './segment.js';
import { parseMetricSelector, parseThresholdExpression } from '../thresholds/parse.js';
import type { Options } from './types.js';

/**
 * Checks the values that a higher layer overrides, which resolution never reads: a mistake in a
 * config file must not pass silently because the script sets the same option. Each overridden
 * option is validated on its own (the execution options of a layer together, as they go together),
 * and the first mistake is thrown as resolution would, naming the option and its source.
 * `resolve` is the full resolver, given a single layer.
 */
export function checkShadowedValues(layers: readonly OptionLayer[], resolve: (layer: OptionLayer) => void): void {
  layers.forEach((layer, i) => {
    const own = setKeys(layer.options);
    const above = new Set(layers.slice(i + 1).flatMap((l) => setKeys(l.options)));
    const executionAbove = EXECUTION_OPTIONS.some((k) => above.has(k));
    const shadowed = own.filter((k) => above.has(k) || (executionAbove && (EXECUTION_OPTIONS as readonly string[]).includes(k)));
    if (shadowed.length === 0) return;
    const opts = layer.options as Record<string, unknown>;
    const execution = shadowed.filter((k) => (EXECUTION_OPTIONS as readonly string[]).includes(k));
    const single = (options: Record<string, unknown>) => resolve({ ...layer, options: options as Options });
    if (execution.length > 0) single(Object.fromEntries(execution.map((k) => [k, opts[k]])));
    for (const key of shadowed) {
      if (execution.includes(key)) continue;
      if (key === 'executionSegmentSequence') checkSequence(opts[key], layer);
      else single({ [key]: opts[key] });
      if (key === 'thresholds') checkExpressions(opts[key], layer);
    }
  });
}

function setKeys(options: Options | undefined): string[] {
  if (options === null || typeof options !== 'object') return [];
  return Object.entries(options).filter(([, v]) => v !== undefined && v !== null).map(([k]) => k);
}

/** A sequence alone: its own syntax (whether a segment belongs to it depends on the layers above). */
function checkSequence(value: unknown, layer: OptionLayer): void {
  const where = `option executionSegmentSequence (${layer.sources?.executionSegmentSequence ?? layer.source})`;
  if (typeof value !== 'string') throw new LoadtsError('INVALID_OPTION', `invalid ${where}: must be a string like "0,1/2,1"`);
  try {
    parseExecutionSegmentSequence(value, where);
  } catch (e) {
    throw e instanceof LoadtsError ? new LoadtsError('INVALID_OPTION', e.message) : e;
  }
}

/** Threshold expressions and metric selectors of overridden thresholds (their metrics are not checked: they may come from the script). */
function checkExpressions(value: unknown, layer: OptionLayer): void {
  for (const [metric, list] of Object.entries(value as Record<string, unknown>)) {
    for (const t of Array.isArray(list) ? list : [list]) {
      const source = typeof t === 'string' ? t : (t as { threshold?: unknown } | null)?.threshold;
      if (typeof source !== 'string') continue;
      try {
        parseMetricSelector(metric);
        parseThresholdExpression(source);
      } catch (e) {
        throw e instanceof LoadtsError ? new LoadtsError(e.code, `${e.message} on ${metric} (${layer.source})`) : e;
      }
    }
  }
}
