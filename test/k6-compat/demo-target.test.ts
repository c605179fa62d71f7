import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, readJson } from '../helpers.js';

describe('the demo target answers as httpbin (loadts run, demo target started for BASE_URL)', () => {
  it('repeated fields as lists, canonical header names, unquoted cookies, and HTML pages with a form and links', async () => {
    const dir = fixtureDir({
      'script.ts': `
        import http from 'k6/http';
        import { check } from 'k6';
        export const options = { iterations: 1 };
        export default async function () {
          const B = __ENV.BASE_URL;
          const form = await http.post(B + '/post?q=1&q=2&one=x', { topping: ['bacon', 'onion'], size: 'large' });
          check(form, {
            'form fields repeated → list': (r) => JSON.stringify(r.json('form')) === JSON.stringify({ topping: ['bacon', 'onion'], size: 'large' }),
            'query args repeated → list': (r) => JSON.stringify(r.json('args')) === JSON.stringify({ q: ['1', '2'], one: 'x' }),
          });
          const h = await http.get(B + '/headers', { headers: { 'x-lower-case': 'a', 'X-UPPER-CASE': 'b' } });
          check(h, {
            'header names canonical': (r) => r.json('headers.X-Lower-Case') === 'a' && r.json('headers.X-Upper-Case') === 'b' && typeof r.json('headers.User-Agent') === 'string',
          });
          const c = await http.get(B + '/cookies', { headers: { Cookie: 'plain=v1; quoted="v 2"' } });
          check(c, { 'quoted cookie unquoted': (r) => r.json('cookies.quoted') === 'v 2' && r.json('cookies.plain') === 'v1' });
          const page = await http.get(B + '/html');
          check(page, {
            'an HTML page': (r) => r.status === 200 && String(r.headers['Content-Type']).startsWith('text/html'),
            'with a form posting to /post': (r) => /<form id="login" action="\\/post" method="POST">/.test(r.body) && /name="csrftoken"/.test(r.body),
            'and links': (r) => (r.body.match(/<a href="/g) || []).length >= 5,
            'a title and lang': (r) => r.body.includes('<title>loadts demo target</title>') && r.body.includes('<html lang="en">'),
          });
          const pizza = await http.get(B + '/forms/post');
          check(pizza, { "httpbin's pizza form": (r) => r.body.includes('name="custname"') && r.body.includes('action="/post"') });
          const links = await http.get(B + '/links/4/1');
          check(links, { 'n links, the current one as text': (r) => (r.body.match(/<a href='\\/links\\/4\\/\\d'>/g) || []).length === 3 });
        }
      `,
    });
    const r = await loadts(['run', '-q', '--workers', '1', '--summary-export', 'out.json', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(0);
    const checks = readJson(join(dir, 'out.json')).root_group.checks;
    const failed = Object.values(checks as Record<string, { name: string; fails: number }>).filter((c) => c.fails > 0).map((c) => c.name);
    expect(failed).toEqual([]);
    expect(Object.keys(checks)).toHaveLength(10);
  });
});
