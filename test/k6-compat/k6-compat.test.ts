import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadts, readJson, testServer } from '../helpers.js';

/**
 * k6's documented examples, ported with nothing changed but async/await and the target URL (see
 * the comment at the top of each script), run through the real `loadts` command. The jslib imports
 * (k6-utils, papaparse) must resolve with no network: LOADTS_NO_REMOTE_MODULES forbids fetching.
 */
const DIR = fileURLToPath(new URL('.', import.meta.url));

function body(req: IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => resolve(new URLSearchParams(text)));
  });
}

const ADMIN_PAGE = `<!doctype html><html><head><title>Admin</title></head><body>
<form method="post" action="/admin/login">
  <input name="username" value=""><input type="password" name="password">
  <input type="hidden" name="csrf" value="tok-123">
  <button type="submit" name="op" value="login">Sign in</button>
</form></body></html>`;

describe.concurrent('k6 documented examples, ported', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  const forms: Array<Record<string, string>> = [];
  const logins: string[] = [];
  beforeAll(async () => {
    server = await testServer(async (req, res) => {
      if (req.method === 'GET' && req.url === '/admin') return res.setHeader('content-type', 'text/html').end(ADMIN_PAGE);
      const form = await body(req);
      if (req.url === '/admin/login') {
        forms.push(Object.fromEntries(form));
        return res.end('welcome');
      }
      if (req.url === '/login.php') {
        const ok = (form.get('login') === 'admin' && form.get('password') === '123') || (form.get('login') === 'test_user' && form.get('password') === '1234');
        logins.push(`${form.get('login')}:${ok}`);
        return res.end(ok ? 'Welcome, you are successfully authorized' : 'wrong password');
      }
      if (req.url === '/user/register/') return res.setHeader('content-type', 'application/json').end(JSON.stringify({ username: form.get('username'), first_name: form.get('first_name') }));
      res.statusCode = 404;
      res.end();
    });
  });
  afterAll(() => server.close());

  const run = (script: string, extra: string[] = []) =>
    loadts(['run', '-q', '--no-summary', ...extra, join(DIR, script)], { env: { BASE_URL: server.url, LOADTS_NO_REMOTE_MODULES: '1' }, timeoutMs: 30_000 });

  it('data parameterization from JSON: open() and SharedArray', async () => {
    const r = await run('data-json.js', ['--log-format', 'raw']); // raw: console lines as printed
    expect(r.code, r.stderr).toBe(0);
    // one iteration (k6's default) logs users[0].username of data.json, and nothing else is printed
    expect(r.stderr.trim().split('\n')).toEqual(['test']);
  });

  it('data parameterization from CSV: jslib papaparse (the npm package), SharedArray, login checks', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'loadts-k6compat-')), 'summary.json');
    const r = await run('data-csv-login.js', ['--summary-export', out, '--log-format', 'raw']); // raw: console lines as printed
    expect(r.code, r.stderr).toBe(0);
    const text = `${r.stdout}${r.stderr}`;
    expect(text).toContain('{"username":"admin","password":"123"}');
    expect(text).toContain('{"username":"test_user","password":"1234"}');
    expect(logins).toHaveLength(1);
    expect(logins[0]).toMatch(/:true$/);
    const summary = readJson(out);
    expect(summary.metrics.checks.passes).toBe(1);
    expect(summary.metrics.checks.fails).toBe(0);
  });

  it('HTML forms: res.submitForm() posts the form\'s fields, the submit button and the overrides', async () => {
    const r = await run('html-forms.js');
    expect(r.code, r.stderr).toBe(0);
    expect(forms).toEqual([{ username: 'admin', password: 'admin', csrf: 'tok-123', op: 'login' }]);
  });

  it('HMAC signature: prints k6\'s documented digest twice', async () => {
    const r = await run('hmac.js');
    expect(r.code, r.stderr).toBe(0);
    const digests = `${r.stdout}${r.stderr}`.match(/893a72d8cab129e5ba85aea4599fd53f59bfe652cff4098a3780313228d8c20f/g);
    expect(digests).toHaveLength(2);
  });

  it('jslib k6-utils: the built-in module, no network', async () => {
    const r = await run('k6-utils.js');
    expect(r.code, r.stderr).toBe(0);
    expect(`${r.stdout}${r.stderr}`).toMatch(/username from response: user_[a-z]{10}@example\.com/);
  });
});
