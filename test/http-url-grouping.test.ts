import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts } from './helpers.js';

const script = (url: string) => `
  import http from 'k6/http';
  export const options = { discardResponseBodies: true, scenarios: { s: { executor: 'shared-iterations', vus: 8, iterations: 1400 } } };
  export default async function () {
    const id = __VU * 10000 + __ITER;
    await http.get(${url});
  }
`;

describe('URL grouping', () => {
  it('past 500 distinct url tags per worker, ONE warning line on stderr says how to group them (two workers)', async () => {
    const r = await loadts(['run', '-q', '--workers', '2', 'script.ts'], { cwd: fixtureDir({ 'script.ts': script("__ENV.BASE_URL + '/anything/' + id") }) });
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').filter((l) => l.includes('distinct URLs'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^warning: HTTP requests have used more than 500 distinct URLs \(e\.g\. "http:\/\/127\.0\.0\.1:\d+\/anything\/\d+"\)/);
    expect(lines[0]).toContain("{ tags: { name: 'GET /items/:id' } }");
    expect(lines[0]).toContain('http.url`');
  });

  it('no warning when the URLs are grouped with a name tag or http.url', async () => {
    for (const url of ["__ENV.BASE_URL + '/anything/' + id, { tags: { name: 'anything' } }", 'http.url`${__ENV.BASE_URL}/anything/${id}`']) {
      const r = await loadts(['run', '-q', '--workers', '2', 'script.ts'], { cwd: fixtureDir({ 'script.ts': script(url) }) });
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('distinct URLs');
    }
  });
});
