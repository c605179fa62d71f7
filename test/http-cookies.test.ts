import { join } from 'node:path';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson, testServer } from './helpers.js';

/** Checks by name → { passes, fails } from a --summary-export file. */
function checks(path: string): Record<string, { passes: number; fails: number }> {
  const out = readJson(path);
  const all: Record<string, { passes: number; fails: number }> = {};
  const walk = (g: { checks: Record<string, { name: string; passes: number; fails: number }>; groups: Record<string, unknown> }) => {
    for (const c of Object.values(g.checks)) all[c.name] = { passes: c.passes, fails: c.fails };
    for (const sub of Object.values(g.groups)) walk(sub as never);
  };
  walk(out.root_group);
  return all;
}

const COOKIE_SCRIPT = `
  import http from 'k6/http';
  import { check } from 'k6';
  export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 2, iterations: 3 } } };
  export default async function () {
    const jar = http.cookieJar();
    const before = jar.cookiesForURL(__ENV.BASE_URL);
    const seen = await http.get(__ENV.BASE_URL + '/cookies');
    check(before, {
      'fresh jar each iteration': (c) => __ITER === 0 || __ENV.KEEP === '1' || Object.keys(c).length === 0,
      'noCookiesReset keeps the previous iteration\\'s cookie': (c) => __ENV.KEEP !== '1' || __ITER === 0 || (c.iter ?? [])[0] === String(__ITER - 1),
    });
    check(seen, { 'server saw the same': (r) => __ITER === 0 || __ENV.KEEP === '1' || Object.keys(r.json('cookies') as object).length === 0 });
    const set = await http.get(__ENV.BASE_URL + '/cookies/set?iter=' + __ITER + '&vu=' + __VU);
    check(set, {
      'redirect carried the cookies': (r) => r.json('cookies.iter') === String(__ITER) && r.json('cookies.vu') === String(__VU),
      'jar has them': () => jar.cookiesForURL(__ENV.BASE_URL).iter[0] === String(__ITER),
    });
    jar.set(__ENV.BASE_URL, 'manual', 'yes', { path: '/cookies' });
    const m = await http.get(__ENV.BASE_URL + '/cookies');
    jar.delete(__ENV.BASE_URL + '/cookies', 'manual');
    const d = await http.get(__ENV.BASE_URL + '/cookies');
    const own = new http.CookieJar();
    const o = await http.get(__ENV.BASE_URL + '/cookies', { jar: own, cookies: { solo: { value: '1', replace: true } } });
    jar.clear(__ENV.BASE_URL);
    check(m, {
      'jar.set is sent': (r) => r.json('cookies.manual') === 'yes',
      'jar.delete removes it': () => d.json('cookies.manual') === undefined && d.json('cookies.iter') === String(__ITER),
      'params.jar and params.cookies': () => JSON.stringify(o.json('cookies')) === '{"solo":"1"}' && o.request.cookies.solo[0].value === '1',
      'jar.clear empties it': () => Object.keys(jar.cookiesForURL(__ENV.BASE_URL)).length === 0,
    });
    // leave a cookie behind: the next iteration must not see it, unless noCookiesReset
    await http.get(__ENV.BASE_URL + '/cookies/set?iter=' + __ITER);
  }
`;

describe('cookies through loadts run', () => {
  it('the VU jar is fresh at each iteration; Set-Cookie across redirects; the jar API; params.jar/cookies', async () => {
    const dir = fixtureDir({ 'script.ts': COOKIE_SCRIPT });
    const r = await loadts(['run', '--workers', '2', '-q', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.code).toBe(0);
    const c = checks(join(dir, 'out.json'));
    for (const [name, v] of Object.entries(c)) expect(v, name).toEqual({ passes: 6, fails: 0 });
    expect(Object.keys(c)).toHaveLength(9);
  });

  it('noCookiesReset: the jar carries over to the next iteration', async () => {
    const dir = fixtureDir({ 'script.ts': COOKIE_SCRIPT.replace("vus: 2, iterations: 3 } }", "vus: 2, iterations: 3 } }, noCookiesReset: true") });
    const r = await loadts(['run', '--workers', '1', '-q', '-e', 'KEEP=1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const c = checks(join(dir, 'out.json'));
    expect(c["noCookiesReset keeps the previous iteration's cookie"]).toEqual({ passes: 6, fails: 0 });
    expect(Object.values(c).every((v) => v.fails === 0)).toBe(true);
  });
});

describe('connections between iterations', () => {
  let connections = 0;
  let server: Awaited<ReturnType<typeof testServer>>;
  beforeAll(async () => {
    server = await testServer((_q, res) => res.end('ok'));
    server.server.on('connection', (_s: Socket) => connections++);
  });
  afterAll(() => server.close());

  const script = (extra: string) => `
    import http from 'k6/http';
    export const options = { scenarios: { s: { executor: 'per-vu-iterations', vus: 1, iterations: 4 } }${extra} };
    export default async function () {
      await http.get(__ENV.TARGET + '/a');
      await http.get(__ENV.TARGET + '/b');
    }
  `;

  it('a VU keeps its keep-alive connection across iterations; noVUConnectionReuse reconnects at each iteration', async () => {
    connections = 0;
    const keep = await loadts(['run', '-q', '--workers', '1', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: fixtureDir({ 'script.ts': script('') }) });
    expect(keep.code).toBe(0);
    expect(connections).toBe(1);
    connections = 0;
    const fresh = await loadts(['run', '-q', '--workers', '1', '-e', `TARGET=${server.url}`, 'script.ts'], { cwd: fixtureDir({ 'script.ts': script(', noVUConnectionReuse: true') }) });
    expect(fresh.code).toBe(0);
    expect(connections).toBe(4);
  });
});
