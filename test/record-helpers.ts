import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import { MetricsAggregate } from '../engine/metrics/aggregate.js';
import { decodeHistogram } from '../engine/metrics/hdr.js';
import type { SinkSnapshot } from '../engine/metrics/types.js';
import type { RunRecord } from '../engine/record/types.js';
import { ROOT } from './helpers.js';

/** A run record as written (.json or .json.gz, told by its first bytes, as loadts reads it). */
export function readRecordFile(path: string): RunRecord {
  const bytes = readFileSync(path);
  const text = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes).toString('utf8') : bytes.toString('utf8');
  return JSON.parse(text) as RunRecord;
}

/** The final snapshot of one series (metric + tag key) in the record's metrics. */
export function finalOf(record: RunRecord, metric: string, key: string): SinkSnapshot {
  const s = record.metrics.series.find((x) => x.metric === metric && x.key === key);
  if (s === undefined) throw new Error(`no final series ${metric} {${key}}`);
  return s.data;
}

/** Sums of a counter's or rate's interval points over every series of `metric`. */
export function intervalTotals(record: RunRecord, metric: string): { sum: number; passes: number; fails: number; points: number } {
  const t = { sum: 0, passes: 0, fails: 0, points: 0 };
  for (const s of record.timeSeries.series.filter((x) => x.metric === metric)) {
    for (const d of s.data) {
      t.points++;
      if (d.type === 'counter') t.sum += d.sum;
      else if (d.type === 'rate') {
        t.passes += d.passes;
        t.fails += d.fails;
      }
    }
  }
  return t;
}

/** The same totals from the record's final metrics. */
export function finalTotals(record: RunRecord, metric: string): { sum: number; passes: number; fails: number } {
  const t = { sum: 0, passes: 0, fails: 0 };
  for (const s of record.metrics.series.filter((x) => x.metric === metric)) {
    const d = s.data;
    if (d.type === 'counter') t.sum += d.sum;
    else if (d.type === 'rate') {
      t.passes += d.passes;
      t.fails += d.fails;
    }
  }
  return t;
}

/** Per-interval sums of a counter over all its series: interval index → sum. */
export function perInterval(record: RunRecord, metric: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const s of record.timeSeries.series.filter((x) => x.metric === metric)) {
    s.index.forEach((i, n) => {
      const d = s.data[n]!;
      out.set(i, (out.get(i) ?? 0) + (d.type === 'counter' ? d.sum : 0));
    });
  }
  return out;
}

const PERCENTILES = ['min', 'med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'p(99.99)', 'max', 'count'];

/**
 * Every trend series of the record: its interval points, merged, equal its final histogram
 * exactly (the same count in every HDR slot, both signs), so every percentile is the same to the
 * last digit; count, min and max equal; the sum equal up to floating-point addition order.
 * Returns how many trend series were checked.
 */
export function expectTrendIntervalsMergeExactly(record: RunRecord): number {
  const trends = record.metrics.defs.filter((d) => d.type === 'trend').map((d) => d.name);
  let checked = 0;
  for (const final of record.metrics.series.filter((s) => trends.includes(s.metric))) {
    if (final.data.type !== 'trend' || final.data.count === 0) continue;
    const stored = record.timeSeries.series.find((s) => s.metric === final.metric && s.key === final.key);
    expect(stored, `${final.metric} {${final.key}} has a time series`).toBeDefined();
    const merged = new MetricsAggregate();
    merged.merge({ defs: record.metrics.defs, series: stored!.data.map((data) => ({ metric: final.metric, key: final.key, tags: final.tags, data })) });
    const [again] = merged.toSnapshot().series;
    const a = again!.data;
    const f = final.data;
    if (a.type !== 'trend') throw new Error('not a trend');
    expect(a.count, `${final.metric} count`).toBe(f.count);
    expect(a.min).toBe(f.min);
    expect(a.max).toBe(f.max);
    expect(a.sum).toBeCloseTo(f.sum, 6);
    for (const [mine, theirs] of [
      [a.hdr, f.hdr],
      [a.negHdr, f.negHdr],
    ] as const) {
      const m = decodeHistogram(mine);
      const t = decodeHistogram(theirs);
      expect(m?.totalCount ?? 0).toBe(t?.totalCount ?? 0);
      if (m === undefined || t === undefined) continue;
      const slots = Math.max(m.countsArrayLength, t.countsArrayLength);
      const differ: number[] = [];
      for (let i = 0; i < slots; i++) {
        const x = i < m.countsArrayLength ? m.getCountAtIndex(i) : 0;
        const y = i < t.countsArrayLength ? t.getCountAtIndex(i) : 0;
        if (x !== y) differ.push(i);
      }
      expect(differ, `${final.metric} {${final.key}}: HDR slots that differ`).toEqual([]);
    }
    const finalAgg = new MetricsAggregate();
    finalAgg.merge({ defs: record.metrics.defs, series: [final] });
    expect(merged.values(final.metric, undefined, PERCENTILES, 1000)).toEqual(finalAgg.values(final.metric, undefined, PERCENTILES, 1000));
    checked++;
  }
  return checked;
}

const validators = new Map<boolean, ValidateFunction>();

/**
 * Validates a record against docs/record.schema.json with ajv. `strict` closes every object the
 * schema describes, the resolved options included, so a field the record carries and the schema
 * does not document fails too. (The published schema stays open: a reader ignores newer fields.)
 */
export function schemaErrors(record: unknown, strict = true): string[] {
  let validate = validators.get(strict);
  if (validate === undefined) {
    const schema = JSON.parse(readFileSync(join(ROOT, 'docs', 'record.schema.json'), 'utf8')) as Record<string, unknown>;
    if (strict) close(schema);
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats.default(ajv);
    validators.set(strict, (validate = ajv.compile(schema)));
  }
  return validate(record) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
}

/** Conditions and their consequences only constrain an object the schema defines elsewhere: never closed. */
const CONSTRAINTS = new Set(['if', 'then', 'else']);

function close(node: unknown): void {
  if (node === null || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (o.properties !== undefined && o.additionalProperties === undefined) o.additionalProperties = false;
  for (const [k, v] of Object.entries(o)) if (!CONSTRAINTS.has(k)) close(v);
}
