/**
 * What --out json and --out csv cost per sample: `npx vitest bench --run engine/output/outputs`.
 * - worker: MetricsRegistry.add of one HTTP request's 11 samples, with and without a SampleTap
 *   (the tap is there only when a raw-sample output is on);
 * - coordinator: formatting one batch of 16,384 samples (13 series, as HTTP requests make them)
 *   into NDJSON or CSV bytes.
 * Divide the time per iteration by the samples per iteration (11 and 16,384) for the cost of one.
 */
import { MessageChannel } from 'node:worker_threads';
import { bench, describe } from 'vitest';
import { defineBuiltinMetrics } from '../../metrics/builtin.js';
import { MetricsRegistry } from '../../metrics/registry.js';
import { SampleTap } from '../../metrics/sample-tap.js';
import { TagSet } from '../../metrics/tags.js';
import { resolveOptions } from '../../options/resolve.js';
import { csvOutput } from './csv.js';
import { jsonOutput } from './json.js';
import type { SampleBatch } from './output.js';

const tags = TagSet.EMPTY.withAll({ expected_response: 'true', group: '', method: 'GET', name: 'http://127.0.0.1:8080/', proto: 'HTTP/1.1', scenario: 'default', status: '200', url: 'http://127.0.0.1:8080/' });
const durationsMs = Float64Array.from({ length: 4096 }, (_, i) => 0.2 + ((i * 7919) % 4096) ** 2 / 20_000 + 1e-9 * i);

/** A registry; with `tap`, its batches go through a MessagePort with their buffers transferred, as a worker sends them. */
function registryWith(tap: boolean) {
  const registry = new MetricsRegistry();
  const m = defineBuiltinMetrics(registry);
  if (tap) {
    const { port1, port2 } = new MessageChannel();
    port2.on('message', () => {});
    port2.unref();
    registry.tap = new SampleTap((b) => port1.postMessage(b, [b.ids.buffer as ArrayBuffer, b.values.buffer as ArrayBuffer, b.times.buffer as ArrayBuffer]));
  }
  return { registry, m };
}

describe('worker: one HTTP request (11 samples)', () => {
  for (const tap of [false, true]) {
    const { registry, m } = registryWith(tap);
    let i = 0;
    bench(tap ? 'with a raw-sample output (SampleTap)' : 'no raw-sample output', () => {
      const d = durationsMs[i++ & 4095]!;
      for (const [metric, v] of [
        [m.http_reqs, 1],
        [m.http_req_duration, d],
        [m.http_req_blocked, 0],
        [m.http_req_connecting, 0],
        [m.http_req_tls_handshaking, 0],
        [m.http_req_sending, 0.01],
        [m.http_req_waiting, d * 0.9],
        [m.http_req_receiving, d * 0.1],
        [m.http_req_failed, 0],
        [m.data_sent, 120],
        [m.data_received, 2400],
      ] as const)
        registry.add(metric, tags, v);
    });
  }
});

describe('coordinator: one batch of 16,384 samples', () => {
  const N = 16_384;
  const { registry } = registryWith(false);
  const table = registry.defs().slice(0, 13).map((metric) => ({ metric, tags: tags.tags }));
  const batch: SampleBatch = { length: N, series: new Int32Array(N), values: new Float64Array(N), times: new Float64Array(N), table };
  const t0 = performance.timeOrigin + performance.now();
  for (let i = 0; i < N; i++) {
    batch.series[i] = i % 13;
    batch.values[i] = i % 13 === 0 ? 1 : durationsMs[i & 4095]!;
    batch.times[i] = t0 + i * 0.0731;
  }
  const start = { scriptPath: 'bench.ts', options: resolveOptions([]), startedAtMs: t0, metrics: [], workers: 1 };
  for (const type of [jsonOutput, csvOutput]) {
    const output = type.create('/dev/null', { cwd: '/', env: {} });
    bench(`${type.name}: format and queue`, () => output.addSamples!(batch), { setup: async () => void (await output.start(start)) });
  }
});
