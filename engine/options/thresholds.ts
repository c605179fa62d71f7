import { boolean, didYouMean, duration, invalid, isPlainObject, show, type Where } from './checks.js';
import type { ResolvedThreshold } from './types.js';

const THRESHOLD_FIELDS = ['threshold', 'abortOnFail', 'delayAbortEval'];

/**
 * Normalises `thresholds` to metric key → list of { source, abortOnFail, delayAbortEvalMs }. Each
 * value may be an expression string, an object { threshold, abortOnFail?, delayAbortEval? }, or a
 * list of those, as in k6. Only the shape is checked here: expressions are parsed against the
 * script's metrics once it is loaded.
 */
export function resolveThresholds(v: unknown, w: Where, warnings: string[]): Record<string, ResolvedThreshold[]> {
  if (v === undefined) return {};
  if (!isPlainObject(v)) throw invalid(w, `must be an object of metric → thresholds, got ${show(v)}`);
  const out: Record<string, ResolvedThreshold[]> = {};
  for (const [metric, value] of Object.entries(v)) {
    const mw: Where = { ...w, path: `${w.path}[${JSON.stringify(metric)}]` };
    if (metric.trim() === '') throw invalid(mw, 'the metric name is empty');
    if (value === undefined || value === null) continue;
    const list: unknown[] = Array.isArray(value) ? value : [value];
    out[metric] = list.map((t, i): ResolvedThreshold => {
      const tw: Where = Array.isArray(value) ? { ...mw, path: `${mw.path}[${i}]` } : mw;
      if (typeof t === 'string') {
        if (t.trim() === '') throw invalid(tw, 'is an empty expression (use e.g. "p(95)<200")');
        return { source: t, abortOnFail: false, delayAbortEvalMs: 0 };
      }
      if (!isPlainObject(t)) throw invalid(tw, `must be an expression like "p(95)<200" or { threshold, abortOnFail, delayAbortEval }, got ${show(t)}`);
      const at = (k: string): Where => ({ ...tw, path: `${tw.path}.${k}` });
      for (const k of Object.keys(t)) {
        // k6 ignores unknown keys here; a typo such as abortOnFailure would silently never abort.
        if (!THRESHOLD_FIELDS.includes(k)) warnings.push(`${at(k).path} (${w.source}) is not a threshold field and is ignored${didYouMean(k, THRESHOLD_FIELDS)}`);
      }
      if (typeof t.threshold !== 'string' || t.threshold.trim() === '') {
        throw invalid(at('threshold'), `required: the expression, e.g. "p(95)<200", got ${show(t.threshold)}`);
      }
      return {
        source: t.threshold,
        abortOnFail: boolean(t.abortOnFail ?? undefined, at('abortOnFail'), false),
        delayAbortEvalMs: t.delayAbortEval === undefined || t.delayAbortEval === null ? 0 : duration(t.delayAbortEval, at('delayAbortEval')),
      };
    });
  }
  return out;
}
