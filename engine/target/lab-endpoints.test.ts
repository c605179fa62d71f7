import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoTarget, type DemoTarget } from './server.js';

let target: DemoTarget;
beforeAll(async () => {
  target = await startDemoTarget();
});
afterAll(() => target.close());

describe('lab endpoints', () => {
  it('/capacity serves c requests at a time, s ms each, the rest wait in order', async () => {
    await (await fetch(`${target.url}/`)).text(); // the client's start-up is not the endpoint's time
    const t0 = performance.now();
    const done = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const res = await fetch(`${target.url}/capacity?workers=2&ms=40`);
        expect(res.status).toBe(200);
        await res.text();
        return performance.now() - t0;
      }),
    );
    done.sort((a, b) => a - b);
    // 8 requests on 2 workers of 40 ms: four rounds, the last done at ~160 ms (not before)
    expect(done[7]!).toBeGreaterThanOrEqual(158);
    expect(done[7]!).toBeLessThan(400);
    expect(done[0]!).toBeLessThan(done[7]! - 80);
  });

  it('/capacity answers 503 when its queue is full', async () => {
    const statuses = await Promise.all(Array.from({ length: 4 }, () => fetch(`${target.url}/capacity?workers=1&ms=30&queue=1`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 503)).toHaveLength(2);
  });

  it('/leak keeps what it allocates; /noleak does not', async () => {
    const a = (await (await fetch(`${target.url}/leak?kb=4`)).json()) as { retained_bytes: number };
    const b = (await (await fetch(`${target.url}/leak?kb=4`)).json()) as { retained_bytes: number };
    expect(b.retained_bytes - a.retained_bytes).toBe(4096);
    const c = (await (await fetch(`${target.url}/noleak?kb=4`)).json()) as { retained_bytes: number };
    expect(c.retained_bytes).toBe(b.retained_bytes);
  });
});
