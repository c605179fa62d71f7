import { join } from 'node:path';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson } from './helpers.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function api(url: string, init?: RequestInit): Promise<any> {
  for (let i = 0; i < 50; i++) {
    try {
      const r = await fetch(url, init);
      return { status: r.status, body: await r.json() };
    } catch {
      await new Promise((res) => setTimeout(res, 100));
    }
  }
  throw new Error(`no answer from ${url}`);
}

describe('externally-controlled scenarios through the REST API', () => {
  it('reports status and metrics, changes VUs, refuses bad changes, and stops the test (exit 105)', async () => {
    const port = await freePort();
    const dir = fixtureDir({
      'script.ts': `
        import { sleep } from 'loadts';
        export const options = { scenarios: { ext: { executor: 'externally-controlled', vus: 1, maxVUs: 4, duration: '30s' } } };
        export default async function () { await sleep(0.05); }
      `,
    });
    const run = loadts(['run', '--workers', '1', '--address', `127.0.0.1:${port}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    const base = `http://127.0.0.1:${port}/v1`;
    // the API answers from the start of the run (setup included); the status says when the load runs
    let first = await api(`${base}/status`);
    for (let i = 0; i < 50 && !first.body.data.attributes.running; i++) {
      await new Promise((res) => setTimeout(res, 100));
      first = await api(`${base}/status`);
    }
    expect(first.body.data.attributes).toMatchObject({ running: true, paused: false, 'vus-max': 1 });

    const patch = (attributes: Record<string, unknown>) =>
      api(`${base}/status`, { method: 'PATCH', body: JSON.stringify({ data: { attributes } }) });
    expect((await patch({ vus: 9 })).status).toBe(400);
    expect((await patch({ 'vus-max': 10 })).body.errors[0].title).toMatch(/exceeds scenario ext's maxVUs \(4\)/);
    expect((await patch({ vus: 3 })).status).toBe(200);
    await new Promise((res) => setTimeout(res, 700));
    expect((await api(`${base}/status`)).body.data.attributes.vus).toBe(3);
    // workers send metrics about once a second
    let ids: string[] = [];
    for (let i = 0; i < 30 && !ids.includes('iterations'); i++) {
      ids = (await api(`${base}/metrics`)).body.data.map((m: { id: string }) => m.id);
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(ids).toContain('iterations');
    // the vus gauge is sampled once a second (as in k6): wait for a sample taken after the change
    let vusGauge: { value?: number } = {};
    for (let i = 0; i < 30 && vusGauge.value !== 3; i++) {
      vusGauge = (await api(`${base}/metrics/vus`)).body.data?.attributes?.sample ?? {};
      if (vusGauge.value !== 3) await new Promise((res) => setTimeout(res, 100));
    }
    expect(vusGauge.value).toBe(3);
    expect((await api(`${base}/metrics/iterations`)).body.data.attributes.sample.count).toBeGreaterThan(0);
    expect((await patch({ stopped: true })).status).toBe(200);
    const r = await run;
    expect(r.code).toBe(105);
    expect(readJson(join(dir, 'o.json')).metrics.vus.max).toBe(3);
  });

  it('a change made while setup() runs applies when the load starts', async () => {
    const port = await freePort();
    const dir = fixtureDir({
      'script.ts': `
        import { sleep } from 'loadts';
        export const options = { scenarios: { ext: { executor: 'externally-controlled', vus: 1, maxVUs: 4, duration: '3s' } } };
        export async function setup() { await sleep(1.5); }
        export default async function () { await sleep(0.05); }
      `,
    });
    const run = loadts(['run', '--workers', '1', '--address', `127.0.0.1:${port}`, '--summary-export', 'o.json', 'script.ts'], { cwd: dir });
    const base = `http://127.0.0.1:${port}/v1`;
    const during = await api(`${base}/status`);
    expect(during.body.data.attributes.running).toBe(false);
    const patched = await api(`${base}/status`, { method: 'PATCH', body: JSON.stringify({ data: { attributes: { 'vus-max': 3, vus: 3 } } }) });
    expect(patched.status).toBe(200);
    const r = await run;
    expect(r.code).toBe(0);
    expect(readJson(join(dir, 'o.json')).metrics.vus.max).toBe(3);
  });
});
