import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, ROOT, testServer } from './helpers.js';

const PAGE = `<!doctype html><title>Catalog</title>
<nav><a href="/about">About</a> <a class="next" href="page/2?sort=asc">Next page</a></nav>
<form id="search" action="/search"><input name="q" value="lamp"><select name="n"><option value="10" selected>10</option></select>
<input type="submit" name="go" value="Search"></form>`;

/** k6/html and the response's HTML methods through the built CLI, against a loopback server. */
describe('k6/html (loadts run)', () => {
  it('res.html(), parseHTML, res.clickLink() and a GET res.submitForm(), awaited as the VU', async () => {
    const requests: string[] = [];
    const server = await testServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'text/html');
      if (req.url === '/catalog/') return res.end(PAGE);
      res.end(`<!doctype html><title>${req.url}</title>`);
    });
    try {
      const dir = fixtureDir({
        'script.js': [
          "import http from 'k6/http';",
          "import { check } from 'k6';",
          "import { parseHTML } from 'k6/html';",
          "export const options = { iterations: 1, thresholds: { checks: ['rate==1'] } };",
          'export default async function () {',
          '  const res = await http.get(`${__ENV.BASE_URL}/catalog/`);',
          '  const next = await res.clickLink({ selector: "a.next", params: { tags: { name: "next" } } });',
          '  const found = await res.submitForm({ formSelector: "#search", fields: { q: "desk lamp" } });',
          '  const about = await res.clickLink();',
          '  check(res, {',
          "    'title via res.html(selector)': (r) => r.html('title').text() === 'Catalog',",
          "    'links resolve against the page': (r) => r.html().find('a.next').get(0).href() === `${__ENV.BASE_URL}/catalog/page/2?sort=asc`,",
          "    'parseHTML of the body': (r) => parseHTML(r.body).find('option[selected]').val() === '10',",
          '  });',
          "  check(next, { 'clickLink followed the selector': (r) => r.html('title').text() === '/catalog/page/2?sort=asc' });",
          "  check(found, { 'submitForm sent a GET with the query': (r) => r.url.endsWith('/search?q=desk+lamp&n=10&go=Search') });",
          "  check(about, { 'clickLink defaults to the first link': (r) => r.html('title').text() === '/about' });",
          '  try {',
          "    await res.submitForm({ formSelector: '#nope' });",
          "    check(null, { 'no form is an error': false });",
          '  } catch (e) {',
          "    check(e, { 'no form is an error': (err) => /no form found for selector '#nope' in response/.test(err.message) });",
          '  }',
          '}',
        ].join('\n'),
      });
      const r = await loadts(['run', '-q', '--no-summary', join(dir, 'script.js')], { env: { BASE_URL: server.url } });
      expect(r.code, `${r.stdout}${r.stderr}`).toBe(0);
      expect(requests).toEqual(['GET /catalog/', 'GET /catalog/page/2?sort=asc', 'GET /search?q=desk+lamp&n=10&go=Search', 'GET /about']);
    } finally {
      await server.close();
    }
  });

  it('leaves the parser out of the engine bundle: it loads from node_modules on first use', () => {
    const files = readdirSync(join(ROOT, 'dist', 'bundle'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'));
    for (const f of files) {
      const code = readFileSync(join(ROOT, 'dist', 'bundle', f), 'utf8');
      // cheerio's selector engine and DOM helpers, parse5's tokenizer: none bundled
      expect(code, f).not.toMatch(/node_modules\/(css-select|cheerio-select|domutils|parse5)\//);
      expect(code, f).not.toContain('function compileGeneralSelector');
    }
  });
});
