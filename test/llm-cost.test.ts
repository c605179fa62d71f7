import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson } from './helpers.js';

/** loadts/llm against the demo target's chat mock (usage: 10 prompt tokens, `tokens` completion tokens). */
describe('loadts/llm: tokens, cost, goodput, rate limits', () => {
  it('input tokens from usage, costs exact to the cent, goodput against SLOs; the summary shows cost per request and per 1,000 tokens', async () => {
    const dir = fixtureDir({
      's.ts': `
        import llm from 'loadts/llm';
        import { check } from 'loadts';
        llm.configure({ prices: { 'mock-a': { input: 1000, output: 2000 } }, goodput: { ttft: 300, itl: 50 } });
        export const options = {
          scenarios: {
            fast: { executor: 'per-vu-iterations', vus: 2, iterations: 10, exec: 'fast' },
            slow: { executor: 'per-vu-iterations', vus: 1, iterations: 5, exec: 'slow' },
          },
          thresholds: { llm_goodput: ['rate>0.5'] },
        };
        const body = { model: 'mock-a', messages: [{ role: 'user', content: 'hi' }], stream_options: { include_usage: true } };
        export async function fast() {
          const r = await llm.chat(__ENV.BASE_URL + '/v1/chat/completions?ttft=5&tokens=20&gap=1', body);
          check(r, { 'priced 0.05': (x) => x.cost === 0.05, 'usage read': (x) => x.input_tokens === 10 && !x.input_tokens_estimated });
        }
        export async function slow() {
          // slower than the TTFT SLO: not good; no usage reported: input tokens estimated (ceil(2/4) + 4 = 5)
          const r = await llm.chat(__ENV.BASE_URL + '/v1/chat/completions?ttft=400&tokens=20&gap=1', { model: 'mock-a', messages: [{ role: 'user', content: 'hi' }] });
          check(r, { 'estimated': (x) => x.input_tokens === 5 && x.input_tokens_estimated });
        }
      `,
    });
    const r = await loadts(['run', '--summary-export', 'sum.json', 's.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const m = readJson(join(dir, 'sum.json')).metrics;
    expect(m.checks.fails).toBe(0);
    // 20 requests × (10 × $1000 + 20 × $2000) / 1M = $1.00, and 5 × (5 × $1000 + 20 × $2000) / 1M = $0.225
    expect(m.llm_cost.count).toBeCloseTo(1.225, 10);
    expect(m.llm_request_cost.avg).toBeCloseTo(1.225 / 25, 10);
    expect(m.llm_input_tokens.count).toBe(20 * 10 + 5 * 5);
    expect(m.llm_output_tokens.count).toBe(25 * 20);
    expect(m.llm_goodput.value).toBeCloseTo(20 / 25, 10);
    // per 1,000 tokens: $1.225 / 725 tokens × 1000 = $1.69
    expect(r.stdout).toMatch(/LLM cost: \$1\.23 in all, \$0\.0490 per request \(25 priced\), \$1\.69 per 1,000 tokens/);
  });

  it('429 and 503 + Retry-After count in http_req_rate_limited, per stage; llm.chat retries after Retry-After, each retry counted', async () => {
    const dir = fixtureDir({
      's.ts': `
        import http from 'loadts/http';
        import llm from 'loadts/llm';
        import { check } from 'loadts';
        llm.configure({ retry: { max: 3, maxWaitMs: 2000 } });
        export const options = {
          scenarios: {
            api: { executor: 'ramping-vus', startVUs: 2, stages: [{ duration: '1s', target: 2 }], exec: 'api' },
            chat: { executor: 'per-vu-iterations', vus: 1, iterations: 4, exec: 'chat' },
          },
        };
        export async function api() { await http.get(__ENV.BASE_URL + '/ratelimit?rps=5'); }
        export async function chat() {
          const r = await llm.chat(__ENV.BASE_URL + '/v1/chat/completions?rps=2&ttft=1&tokens=2&gap=1', { model: 'm', messages: [{ role: 'user', content: 'x' }] });
          check(r, { 'ok in the end': (x) => x.status === 200 });
        }
      `,
    });
    const r = await loadts(['run', '--summary-export', 'sum.json', 's.ts'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const out = readJson(join(dir, 'sum.json'));
    const m = out.metrics;
    expect(m.checks.fails).toBe(0);
    expect(m.llm_retries.count).toBeGreaterThanOrEqual(1);
    expect(m.llm_retries.count).toBeLessThanOrEqual(6);
    expect(m.http_req_rate_limited.passes).toBeGreaterThan(0);
    const stage = out.loadts.loadLevels.find((l: { label: string }) => l.label === 'api stage 0');
    expect(stage.rateLimitedRate).toBeGreaterThan(0.3);
    expect(r.stdout).toMatch(/api stage 0 .* \d+\.\d\d%/);
  });
});
