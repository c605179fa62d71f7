import { LoadtsError } from '../errors.js';
import { compareFractions, formatExecutionSegment, parseExecutionSegment, type ExecutionSegment, type Fraction } from '../options/segment.js';
import { sharedOptionsJson } from './identity.js';
import type { RunRecord } from './types.js';

/** A record to merge, with the file it came from (for messages). */
export interface MergeInput {
  path: string;
  record: RunRecord;
}

/** A merge's inputs in segment order, and what they leave uncovered. */
export interface Coverage {
  parts: Array<MergeInput & { segment: ExecutionSegment }>;
  missing: ExecutionSegment[];
}

/**
 * Refuses records of different tests, in one line naming the two files: a different script (the
 * bundle's hash), different options (all but each part's segment), or, for records without
 * hashes (before 1.1), a different script path.
 * @throws LoadtsError('RECORD')
 */
export function checkSameTest(inputs: readonly MergeInput[]): void {
  const [first, ...rest] = inputs;
  if (first === undefined) return;
  const options = sharedOptionsJson(first.record.options);
  for (const other of rest) {
    const a = first.record.test;
    const b = other.record.test;
    if (a !== undefined && b !== undefined && a.bundleSha256 !== b.bundleSha256) {
      throw new LoadtsError('RECORD', `${other.path} is a run of another test than ${first.path}: the scripts differ (bundle ${b.bundleSha256.slice(0, 12)} vs ${a.bundleSha256.slice(0, 12)})`);
    }
    if ((a === undefined || b === undefined) && other.record.script.path !== first.record.script.path) {
      throw new LoadtsError('RECORD', `${other.path} is a run of another test than ${first.path}: the scripts differ (${other.record.script.path} vs ${first.record.script.path})`);
    }
    if (sharedOptionsJson(other.record.options) !== options) {
      throw new LoadtsError('RECORD', `${other.path} is a run of another test than ${first.path}: the options differ${firstDifference(first.record, other.record)}`);
    }
    if ((other.record.run.executionSegmentSequence ?? '') !== (first.record.run.executionSegmentSequence ?? '')) {
      throw new LoadtsError(
        'RECORD',
        `${other.path} and ${first.path} split the test with different execution segment sequences (${JSON.stringify(other.record.run.executionSegmentSequence)} vs ${JSON.stringify(first.record.run.executionSegmentSequence)})`,
      );
    }
  }
}

/** ' (thresholds)': the first option that differs, to say where. */
function firstDifference(a: RunRecord, b: RunRecord): string {
  const keys = new Set([...Object.keys(a.options), ...Object.keys(b.options)]);
  for (const k of keys) {
    const va = sharedOptionsJson({ [k]: (a.options as unknown as Record<string, unknown>)[k] } as never);
    const vb = sharedOptionsJson({ [k]: (b.options as unknown as Record<string, unknown>)[k] } as never);
    if (va !== vb) return ` (${k})`;
  }
  return '';
}

/**
 * Orders the records by segment, refuses overlapping segments, and finds the segments no record
 * covers (the caller refuses them unless --allow-partial).
 * @throws LoadtsError('RECORD')
 */
export function coverage(inputs: readonly MergeInput[]): Coverage {
  const parts = inputs
    .map((i) => ({ ...i, segment: parseExecutionSegment(i.record.run.executionSegment, `${i.path}'s execution segment`) }))
    .sort((a, b) => compareFractions(a.segment.from, b.segment.from));
  const missing: ExecutionSegment[] = [];
  let covered: Fraction = { num: 0, den: 1 };
  let previous: (typeof parts)[number] | undefined;
  for (const p of parts) {
    const order = compareFractions(p.segment.from, covered);
    if (order < 0 && previous !== undefined) {
      throw new LoadtsError('RECORD', `${p.path} (segment ${formatExecutionSegment(p.segment)}) overlaps ${previous.path} (segment ${formatExecutionSegment(previous.segment)}): each part of the test must be merged once`);
    }
    if (order > 0) missing.push({ from: covered, to: p.segment.from });
    covered = p.segment.to;
    previous = p;
  }
  const one: Fraction = { num: 1, den: 1 };
  if (compareFractions(covered, one) < 0) missing.push({ from: covered, to: one });
  return { parts, missing };
}
