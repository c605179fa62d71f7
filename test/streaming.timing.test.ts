import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoTargetProcess, fixtureDir, loadts, readJson } from './helpers.js';

/** Streaming timings against a server with known timings (the demo target's /sse and chat mock). */
describe('streaming: SSE and LLM chat completions', () => {
  let target: Awaited<ReturnType<typeof demoTargetProcess>>;
  beforeAll(async () => {
    target = await demoTargetProcess({ warm: true });
  });
  afterAll(() => target.close());

  it('SSE: first event after 100 ms → p50 within 3 ms; 20 ms gaps → p50 within 2 ms; events reach the callback', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'loadts/http';
        import { check } from 'loadts';
        // twelve streams per VU: each VU's first also pays for its connection and cold code; two VUs,
        // as more concurrent streams on this 2-core machine add a millisecond of their own
        export const options = { vus: 2, iterations: 24, thresholds: { sse_time_to_first_event: ['p(95)<150'], sse_events: ['count==240'] } };
        export default async function () {
          const ids: string[] = [];
          const res = await http.sse(__ENV.BASE_URL + '/sse?ttft=100&n=10&gap=20', { tags: { name: 'sse' } }, (e) => ids.push(e.id));
          check(res, { 'all events': (r) => r.status === 200 && r.events === 10 && ids.join(',') === '0,1,2,3,4,5,6,7,8,9' });
        }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: target.url } });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    console.log(`SSE: time to first event p50 ${m.sse_time_to_first_event.med.toFixed(2)} ms (server: 100), event interval p50 ${m.sse_event_interval.med.toFixed(2)} ms (server: 20)`);
    expect(m.checks.fails).toBe(0);
    expect(Math.abs(m.sse_time_to_first_event.med - 100)).toBeLessThan(3);
    expect(Math.abs(m.sse_event_interval.med - 20)).toBeLessThan(2);
    expect(m.sse_events.count).toBe(240);
    expect(m.sse_stream_duration.min).toBeGreaterThanOrEqual(280);
  });

  it('LLM: TTFT, every inter-token gap, tokens, tokens/s; the empty first chunk is not a token', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import llm from 'loadts/llm';
        import { check } from 'loadts';
        // 24 streams of 10 tokens on two VUs: each VU's first stream also pays for its connection and
        // cold code, so twelve per VU keep the median on warm ones.
        export const options = { vus: 2, iterations: 24, summaryTrendStats: ['avg', 'med', 'count', 'p(95)'], thresholds: { llm_time_to_first_token: ['p(95)<500'], llm_output_tokens: ['count==240'] } };
        export default async function () {
          const r = await llm.chat(__ENV.BASE_URL + '/v1/chat/completions?ttft=100&tokens=10&gap=20', { model: 'mock', messages: [{ role: 'user', content: 'hello' }] });
          check(r, {
            'status 200': (x) => x.status === 200,
            '10 tokens': (x) => x.output_tokens === 10,
            'text': (x) => x.text.startsWith('tok0 tok1 ') && x.text.trim().endsWith('tok9'),
            'ttft in result': (x) => x.time_to_first_token !== undefined && x.time_to_first_token > 95,
          });
        }
      `,
    });
    const r = await loadts(['run', '--workers', '1', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: target.url } });
    expect(r.code).toBe(0);
    const m = readJson(join(dir, 'o.json')).metrics;
    console.log(`LLM: time to first token p50 ${m.llm_time_to_first_token.med.toFixed(2)} ms (server: 100), inter-token p50 ${m.llm_inter_token_latency.med.toFixed(2)} ms (server: 20), tokens/s p50 ${m.llm_tokens_per_second.med.toFixed(1)}`);
    expect(m.checks.fails).toBe(0);
    expect(Math.abs(m.llm_time_to_first_token.med - 100)).toBeLessThan(3);
    expect(Math.abs(m.llm_inter_token_latency.med - 20)).toBeLessThan(2);
    expect(m.llm_inter_token_latency.count).toBe(9 * 24);
    expect(m.llm_output_tokens.count).toBe(240);
    // 10 tokens in ~280 ms (100 ms to the first, 9 gaps of 20 ms) → ~35.7 tokens/s
    expect(m.llm_tokens_per_second.med).toBeGreaterThan(32);
    expect(m.llm_tokens_per_second.med).toBeLessThan(38);
  });

  it('LLM: reports HTTP and network errors without throwing', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import llm from 'loadts/llm';
        import { check } from 'loadts';
        export const options = { iterations: 1 };
        export default async function () {
          const bad = await llm.chat(__ENV.BASE_URL + '/status/503', { model: 'm', messages: [] });
          const down = await llm.chat('http://127.0.0.1:1/v1/chat/completions', { model: 'm', messages: [] });
          check(null, { '503 error': () => bad.status === 503 && bad.error.includes('503'), 'refused': () => down.status === 0 && down.error_code === 1212 });
        }
      `,
    });
    const r = await loadts(['run', '--summary-export', 'o.json', 'script.ts'], { cwd: dir, env: { BASE_URL: target.url } });
    expect(r.code).toBe(0);
    expect(readJson(join(dir, 'o.json')).metrics.checks.fails).toBe(0);
  });
});
