/**
 * Hot-path cost of MetricsRegistry.add: `npx vitest bench --run engine/metrics`.
 * Each task adds BATCH samples, so divide the reported time per iteration by BATCH for ns per add.
 */
import { bench, describe } from 'vitest';
import { defineBuiltinMetrics } from './builtin.js';
import { MetricsRegistry } from './registry.js';
import { TagSet } from './tags.js';

const BATCH = 1000;
const registry = new MetricsRegistry();
const m = defineBuiltinMetrics(registry);
const tagSets = [0, 1, 2, 3].map((i) => TagSet.EMPTY.with('url', `http://target/${i}`).with('method', 'GET').with('status', '200'));
const durationsMs = Float64Array.from({ length: 4096 }, (_, i) => 0.2 + ((i * 7919) % 4096) ** 2 / 20_000);

describe(`MetricsRegistry.add × ${BATCH}`, () => {
  let i = 0;
  bench('trend', () => {
    for (let k = 0; k < BATCH; k++, i++) registry.add(m.http_req_duration, tagSets[i & 3]!, durationsMs[i & 4095]!);
  });
  bench('counter', () => {
    for (let k = 0; k < BATCH; k++, i++) registry.add(m.http_reqs, tagSets[i & 3]!, 1);
  });
  bench('one HTTP request (11 adds, as the worker records it)', () => {
    for (let k = 0; k < BATCH / 10; k++, i++) {
      const tags = tagSets[i & 3]!;
      const d = durationsMs[i & 4095]!;
      registry.add(m.http_reqs, tags, 1);
      registry.add(m.http_req_duration, tags, d);
      registry.add(m.http_req_blocked, tags, 0);
      registry.add(m.http_req_connecting, tags, 0);
      registry.add(m.http_req_tls_handshaking, tags, 0);
      registry.add(m.http_req_sending, tags, 0.01);
      registry.add(m.http_req_waiting, tags, d * 0.9);
      registry.add(m.http_req_receiving, tags, d * 0.1);
      registry.add(m.http_req_failed, tags, 0);
      registry.add(m.data_sent, tags, 120);
      registry.add(m.data_received, tags, 2400);
    }
  });
  bench('takeSnapshot (then the next batch)', () => {
    for (let k = 0; k < BATCH; k++, i++) registry.add(m.http_req_duration, tagSets[i & 3]!, durationsMs[i & 4095]!);
    registry.takeSnapshot();
  });
});
