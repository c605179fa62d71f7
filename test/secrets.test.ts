import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts, testServer } from './helpers.js';

/**
 * k6/secrets through the built CLI: each --secret-source kind, secrets.source(), and redaction of
 * the values from everything printed (console output, iteration errors, the init context's error),
 * while requests still carry the real value.
 */
describe('secrets (loadts run --secret-source)', () => {
  it('reads file, env and mock sources; the script uses the values, output never shows them', async () => {
    const seen: string[] = [];
    const server = await testServer((req, res) => {
      seen.push(String(req.headers.authorization));
      res.end('ok');
    });
    try {
      const dir = fixtureDir({
        'file.secret': '# a comment\ncool=s3cr3t-from-file\nelse=source=with=equals\n',
        'script.js': [
          "import http from 'k6/http';",
          "import secrets from 'k6/secrets';",
          "export const options = { iterations: 1 };",
          'export default async function () {',
          "  const cool = await secrets.get('cool');",
          "  const token = await secrets.source('ci').get('TOKEN');",
          "  const mocked = await (await secrets.source('mock')).get('pin');",
          '  await http.get(`${__ENV.BASE_URL}/`, { headers: { Authorization: `Bearer ${token}` } });',
          "  console.log(`cool=${cool} token=${token} pin=${mocked} else=${await secrets.get('else')}`);",
          "  console.error('error stream:', cool);",
          '  throw new Error(`failed with ${token}`);',
          '}',
        ].join('\n'),
      });
      const r = await loadts(
        ['run', '-q', '--no-summary', '--secret-source', 'file=file.secret', '--secret-source=env=name=ci,prefix=MY_SECRET_', '--secret-source=mock=pin=4321', join(dir, 'script.js')],
        { cwd: dir, env: { BASE_URL: server.url, MY_SECRET_TOKEN: 'tok-9f8e7d' } },
      );
      expect(r.code, r.stderr).toBe(0);
      const out = `${r.stdout}${r.stderr}`;
      expect(out).toContain('cool=***SECRET_REDACTED*** token=***SECRET_REDACTED*** pin=***SECRET_REDACTED*** else=***SECRET_REDACTED***');
      expect(out).toContain('error stream: ***SECRET_REDACTED***');
      expect(out).toMatch(/failed with \*\*\*SECRET_REDACTED\*\*\*/);
      for (const secret of ['s3cr3t-from-file', 'tok-9f8e7d', '4321', 'source=with=equals']) expect(out).not.toContain(secret);
      expect(seen).toEqual(['Bearer tok-9f8e7d']);
    } finally {
      await server.close();
    }
  });

  it('redacts the --console-output file too (it is written directly, not through stderr)', async () => {
    const dir = fixtureDir({
      'script.js': [
        "import secrets from 'k6/secrets';",
        'export const options = { iterations: 2 };',
        "export default async function () { console.log('pin', await secrets.get('pin')); }",
      ].join('\n'),
    });
    const r = await loadts(['run', '-q', '--no-summary', '--secret-source=mock=pin=7e3b91', '--console-output', 'console.log', 'script.js'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const file = readFileSync(join(dir, 'console.log'), 'utf8');
    expect(file.match(/pin \*\*\*SECRET_REDACTED\*\*\*/g)).toHaveLength(2);
    expect(file + r.stdout + r.stderr).not.toContain('7e3b91');
  });

  it('redacts the init context\'s error; a missing secret, no source and a bad spec are clear errors', async () => {
    const dir = fixtureDir({
      'init.js': "import secrets from 'k6/secrets';\nconst v = await secrets.get('pw');\nthrow new Error(`bad ${v}`);\nexport default function () {}\n",
      'missing.js': "import secrets from 'k6/secrets';\nawait secrets.get('nope');\nexport default function () {}\n",
    });
    const init = await loadts(['run', '-q', '--secret-source=mock=pw=hunter2', join(dir, 'init.js')]);
    expect(init.code).toBe(107);
    expect(init.stderr).toMatch(/init\.js:3:\d+: the init context threw: bad \*\*\*SECRET_REDACTED\*\*\*/);
    expect(init.stderr).not.toContain('hunter2');
    const missing = await loadts(['run', '-q', '--secret-source=mock=pw=x', join(dir, 'missing.js')]);
    expect(missing.stderr).toMatch(/no secret named "nope" in secret source "mock"/);
    const none = await loadts(['run', '-q', join(dir, 'missing.js')]);
    expect(none.stderr).toMatch(/no secret source: run with --secret-source/);
    const bad = await loadts(['run', '-q', '--secret-source=vault=x', join(dir, 'missing.js')]);
    expect(bad.code).toBe(104);
    expect(bad.stderr).toMatch(/^error: --secret-source vault=x: unknown source "vault"/);
    const unreadable = await loadts(['run', '-q', '--secret-source=file=/no/such/file', join(dir, 'missing.js')]);
    expect(unreadable.code).toBe(104);
    expect(unreadable.stderr).toMatch(/cannot read \/no\/such\/file: ENOENT/);
  });
});
