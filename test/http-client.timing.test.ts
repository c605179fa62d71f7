import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TagSet } from '../engine/metrics/tags.js';
import { VuHttp, type HttpClientConfig } from '../engine/protocols/http/client.js';
import { demoTargetProcess } from './helpers.js';

/**
 * Upper bounds on what one VU's HTTP client measures, against the demo target in a process of its
 * own (moved here from engine/protocols/http/client.test.ts, where the parallel suite's load made
 * them flaky). The lower bounds and the phase arithmetic stay there.
 */
const CONFIG: HttpClientConfig = { userAgent: 'loadts-test', discardResponseBodies: false, noConnectionReuse: false, defaultTimeoutMs: 10_000, maxRedirects: 10, insecureSkipTLSVerify: false, hosts: {} };
let target: { url: string; close(): Promise<void> };
const open: VuHttp[] = [];
const vu = (): VuHttp => {
  const h = new VuHttp(CONFIG, () => {});
  open.push(h);
  return h;
};

beforeAll(async () => {
  target = await demoTargetProcess({ warm: true });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});
afterAll(() => target.close());

describe('VuHttp timings at light load', () => {
  it('against /delay/50: waiting within 5 ms of 50, sending under 5 ms', async () => {
    const http = vu();
    await http.request('GET', `${target.url}/`, undefined, undefined, TagSet.EMPTY);
    for (let i = 0; i < 5; i++) {
      const t = (await http.request('GET', `${target.url}/delay/50`, undefined, undefined, TagSet.EMPTY)).timings;
      expect(t.waiting).toBeGreaterThanOrEqual(49.5);
      expect(t.waiting).toBeLessThan(55);
      expect(t.sending).toBeLessThan(5);
    }
  });

  it('SSE events arrive on schedule: the first at 60 ms (within 20), the last after 120', async () => {
    const http = vu();
    const at: number[] = [];
    const t0 = performance.now();
    const res = await http.request('GET', `${target.url}/sse?ttft=60&n=3&gap=30`, undefined, undefined, TagSet.EMPTY, () => at.push(performance.now() - t0));
    expect(res.status).toBe(200);
    expect(at[0]).toBeGreaterThanOrEqual(59);
    expect(at[0]).toBeLessThan(80);
    expect(at.at(-1)!).toBeGreaterThanOrEqual(119);
  });
});
