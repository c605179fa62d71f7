import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

describe('http.batch limits', () => {
  let inFlight = 0;
  let peak = 0;
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((_q, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 30);
    });
  });
  afterAll(() => server.close());

  const script = (opts: string) => `
    import http from 'k6/http';
    import { check } from 'k6';
    export const options = { iterations: 1, ${opts} };
    export default async function () {
      const reqs = Array.from({ length: 12 }, (_, i) => __ENV.TARGET + '/r' + i);
      const res = await http.batch(reqs);
      check(res, { 'all 12 in order': (r) => r.length === 12 && r.every((x, i) => x.status === 200 && x.url.endsWith('/r' + i)) });
    }
  `;

  it.each([
    ['batchPerHost: 3', 3],
    ['batch: 2', 2],
    ['batch: 20, batchPerHost: 0', 12],
  ])('%s → at most %i requests at once to one host', async (opts, want) => {
    peak = 0;
    const dir = fixtureDir({ 'script.ts': script(opts) });
    const r = await loadts(['run', '-q', '--workers', '1', '-e', `TARGET=${server.url}`, '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(peak).toBe(want);
    expect(Object.values(readJson(join(dir, 'out.json')).root_group.checks)).toMatchObject([{ passes: 1, fails: 0 }]);
  });
});
