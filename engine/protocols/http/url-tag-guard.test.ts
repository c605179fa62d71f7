import { afterEach, describe, expect, it } from 'vitest';
import { TagSet } from '../../metrics/tags.js';
import { startDemoTarget } from '../../target/server.js';
import { VuHttp } from './client.js';
import { UrlTagGuard, urlTagWarning } from './url-tag-guard.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
const guards: UrlTagGuard[] = [];
function guard(channel: string, limit = 3): { g: UrlTagGuard; lines: string[] } {
  const lines: string[] = [];
  const g = new UrlTagGuard({ limit, channel, write: (l) => lines.push(l) });
  guards.push(g);
  return { g, lines };
}
afterEach(() => {
  for (const g of guards.splice(0)) g.close();
});

describe('UrlTagGuard', () => {
  it('warns once, past the limit of distinct values, with one line saying how to group URLs', async () => {
    const { g, lines } = guard('t1');
    for (const v of ['/a', '/b', '/a', '/c', '/b']) g.note(v);
    await wait(150);
    expect(lines).toEqual([]);
    g.note('/d');
    for (let i = 0; i < 100; i++) g.note(`/x/${i}`);
    await wait(150);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(urlTagWarning(3, '/d'));
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toMatch(/^warning: HTTP requests have used more than 3 distinct URLs \(e\.g\. "\/d"\)/);
    expect(lines[0]).toContain("tags: { name: 'GET /items/:id' }");
    expect(lines[0]).toContain('http.url`${base}/items/${id}`');
  });

  it('several threads (guards on one channel) print one line between them', async () => {
    const a = guard('t2');
    const b = guard('t2');
    const c = guard('t2');
    for (let i = 0; i < 5; i++) {
      a.g.note(`/a/${i}`);
      b.g.note(`/b/${i}`);
    }
    await wait(250);
    expect(a.lines.length + b.lines.length).toBe(1);
    for (let i = 0; i < 5; i++) c.g.note(`/c/${i}`); // a thread that gets there later stays quiet
    await wait(250);
    expect(a.lines.length + b.lines.length + c.lines.length).toBe(1);
  });

  it('a thread that starts listening late still hears the earlier claim', async () => {
    const a = guard('t3', 4);
    const b = guard('t3', 4);
    for (let i = 0; i < 5; i++) a.g.note(`/a/${i}`); // a claims; b is not listening yet
    await wait(20);
    for (let i = 0; i < 5; i++) b.g.note(`/b/${i}`); // b claims later, inside a's window
    await wait(250);
    expect(a.lines.length + b.lines.length).toBe(1);
    expect(a.lines).toHaveLength(1);
  });
});

describe('VuHttp reports url tag values to the guard', () => {
  it('each new URL once per VU; named requests by their name; redirect hops too', async () => {
    const target = await startDemoTarget();
    const noted: string[] = [];
    const http = new VuHttp(
      { userAgent: '', discardResponseBodies: true, noConnectionReuse: false, defaultTimeoutMs: 5000, maxRedirects: 10, insecureSkipTLSVerify: false, hosts: {}, urlTags: { note: (v) => noted.push(v) } },
      () => {},
    );
    try {
      for (let i = 0; i < 3; i++) await http.request('GET', `${target.url}/get`, undefined, undefined, TagSet.EMPTY);
      for (let i = 0; i < 3; i++) await http.request('GET', `${target.url}/anything/${i}`, undefined, { tags: { name: 'anything' } }, TagSet.EMPTY);
      await http.request('GET', `${target.url}/redirect/1`, undefined, undefined, TagSet.EMPTY);
      expect(noted).toEqual([`${target.url}/get`, 'anything', 'anything', 'anything', `${target.url}/redirect/1`, `${target.url}/get`]);
    } finally {
      await http.close();
      await target.close();
    }
  });
});
