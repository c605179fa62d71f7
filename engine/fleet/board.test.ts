import { describe, expect, it } from 'vitest';
import { FleetBoard } from './board.js';
import type { ResolvedOptions } from '../options/types.js';

const test = { options: { executionSegment: '0:1', executionSegmentSequence: '' } as ResolvedOptions, env: {}, scriptPath: '/s/t.ts', bundleCode: '', apiDirUrl: 'file:///api/', bundleSha256: 'h', originMs: 0, seriesIntervalMs: 1000 };
const join = (b: FleetBoard, index?: number, name = 'pod') => b.join({ name, loadtsVersion: '1.0.0', ...(index === undefined ? {} : { index }) });

describe('FleetBoard', () => {
  it('cuts the test into N equal segments of one sequence', () => {
    const b = new FleetBoard(3, 1000, '1.0.0', () => {});
    expect(b.sequence).toBe('0,1/3,2/3,1');
    expect(b.slots.map((s) => s.segment)).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
  });

  it('hands out slots and refuses, in one line each, early, taken, out-of-range, extra, other-version and late instances', () => {
    const b = new FleetBoard(2, 1000, '1.0.0', () => {});
    expect(join(b)).toMatchObject({ status: 503, body: { retry: true } });
    b.publish(test);
    expect(join(b, 1, 'b')).toMatchObject({ status: 200, body: { index: 1, segment: '1/2:1', options: { executionSegment: '1/2:1', executionSegmentSequence: '0,1/2,1' } } });
    expect(join(b, 1, 'c')).toMatchObject({ status: 409, body: { error: 'instance "c" is refused: slot 1 is taken by instance "b"' } });
    expect(join(b, 5)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/index 5 is out of range: the fleet has 2 instances/) } });
    expect(b.join({ name: 'old', loadtsVersion: '0.9.0' })).toMatchObject({ status: 409, body: { error: expect.stringMatching(/runs loadts 0\.9\.0, the coordinator 1\.0\.0/) } });
    expect(join(b)).toMatchObject({ status: 200, body: { index: 0 } });
    expect(join(b)).toMatchObject({ status: 409, body: { error: 'instance "pod" is refused: the fleet is full (2 instances)' } });
    b.start(Date.now());
    expect(join(b)).toMatchObject({ status: 409, body: { error: expect.stringMatching(/is late: the test started at/) } });
  });

  it('skips intervals it already merged when an instance resends them', () => {
    const merged: number[] = [];
    const b = new FleetBoard(1, 1000, '1.0.0', (_s, r) => merged.push(...r.intervals.map((i) => i.startMs)));
    b.publish(test);
    const { session } = join(b).body as { session: string };
    const interval = (startMs: number) => ({ startMs, endMs: startMs + 1000, series: [] });
    b.report({ index: 0, session, phase: 'running', intervals: [interval(0), interval(1000)], firstSeq: 0, closedBeforeMs: 2000 });
    b.report({ index: 0, session, phase: 'running', intervals: [interval(1000), interval(2000)], firstSeq: 1, closedBeforeMs: 3000 });
    expect(merged).toEqual([0, 1000, 2000]);
    expect(b.report({ index: 0, session: 'other', phase: 'running', intervals: [], firstSeq: 3, closedBeforeMs: 3000 }).status).toBe(410);
  });

  it('frees a silent slot before the start and declares it lost after', () => {
    const b = new FleetBoard(1, 1000, '1.0.0', () => {});
    b.publish(test);
    join(b);
    expect(b.checkSilence(performance.now() + 5000).map((s) => s.index)).toEqual([0]);
    expect(b.slots[0]!.state).toBe('free');
    join(b);
    b.start(Date.now());
    b.checkSilence(performance.now() + 5000);
    expect(b.slots[0]!.state).toBe('lost');
  });
});
