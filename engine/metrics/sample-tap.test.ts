import { describe, expect, it } from 'vitest';
import { defineBuiltinMetrics } from './builtin.js';
import { MetricsRegistry } from './registry.js';
import { SampleTap, type SampleMessage } from './sample-tap.js';
import { TagSet } from './tags.js';

function tapped() {
  const registry = new MetricsRegistry();
  const m = defineBuiltinMetrics(registry);
  const sent: SampleMessage[] = [];
  registry.tap = new SampleTap((b) => sent.push(b));
  return { registry, m, sent, tap: registry.tap };
}

describe('SampleTap', () => {
  it('numbers each series once (by TagSet identity) and sends every sample with its value', () => {
    const { registry, m, sent, tap } = tapped();
    const a = TagSet.EMPTY.with('status', '200');
    const b = TagSet.EMPTY.with('status', '500');
    registry.add(m.http_reqs, a, 1);
    registry.add(m.http_req_duration, a, 12.5);
    registry.add(m.http_reqs, b, 1);
    registry.add(m.http_reqs, a, 1);
    registry.add(m.http_req_duration, a, NaN); // dropped by the registry, as from the aggregate
    tap.flush();
    expect(sent).toHaveLength(1);
    const [batch] = sent;
    expect(batch!.newSeries).toEqual([
      { id: 0, metric: 'http_reqs', tags: { status: '200' } },
      { id: 1, metric: 'http_req_duration', tags: { status: '200' } },
      { id: 2, metric: 'http_reqs', tags: { status: '500' } },
    ]);
    expect([...batch!.ids.subarray(0, batch!.length)]).toEqual([0, 1, 2, 0]);
    expect([...batch!.values.subarray(0, batch!.length)]).toEqual([1, 12.5, 1, 1]);
    registry.add(m.http_reqs, a, 1);
    tap.flush();
    expect(sent[1]!.newSeries).toEqual([]); // known series are not sent again
  });

  it('sends a full batch at once; nothing when empty', () => {
    const { registry, m, sent, tap } = tapped();
    for (let i = 0; i < 16_384 + 3; i++) registry.add(m.iterations, TagSet.EMPTY, 1);
    expect(sent.map((s) => s.length)).toEqual([16_384]);
    tap.flush();
    tap.flush();
    expect(sent.map((s) => s.length)).toEqual([16_384, 3]);
  });

  it('samples recorded together share one clock reading; later ones read the clock again', async () => {
    const { registry, m, sent, tap } = tapped();
    const before = performance.timeOrigin + performance.now();
    registry.add(m.http_reqs, TagSet.EMPTY, 1);
    registry.add(m.http_req_duration, TagSet.EMPTY, 3);
    await new Promise((r) => setTimeout(r, 5));
    registry.add(m.http_reqs, TagSet.EMPTY, 1);
    tap.flush();
    const times = [...sent[0]!.times.subarray(0, 3)];
    expect(times[0]).toBe(times[1]);
    expect(times[0]).toBeGreaterThanOrEqual(before);
    expect(times[2]! - times[0]!).toBeGreaterThanOrEqual(4);
  });
});
