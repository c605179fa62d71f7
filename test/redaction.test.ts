import { describe, expect, it } from 'vitest';
import { fixtureDir, loadts } from './helpers.js';

/**
 * Nothing loadts prints shows a credential: passwords in URLs, Authorization and Cookie values,
 * in request-failure logs, iteration errors, the exit message and `loadts inspect`.
 */
describe('redaction of what loadts prints', () => {
  const dir = fixtureDir({
    'script.ts': `
      import http from 'loadts/http';
      export const options = { iterations: 2, tags: { note: 'http://tagger:s3cret-tag@example.test/', Authorization: 'Bearer s3cret-option' } };
      export default async function () {
        const res = await http.get('http://user:s3cret-url@127.0.0.1:1/x', { headers: { Authorization: 'Bearer s3cret-auth', Cookie: 'sid=s3cret-cookie' } });
        throw new Error('failed: ' + JSON.stringify(res.request.headers) + ' from http://user:s3cret-err@127.0.0.1:1/');
      }
    `,
  });

  it('run: the failure log, the iteration error and the exit message are redacted', async () => {
    const r = await loadts(['run', '--workers', '1', '--no-summary', 'script.ts'], { cwd: dir });
    expect(r.code).toBe(111);
    expect(r.stderr).toMatch(/WARN request failed: GET http:\/\/\*{4}:\*+@127\.0\.0\.1:1\/x: dial: connection refused/);
    // k6's log line (logfmt: the message's quotes escaped)
    expect(r.stderr).toMatch(/level=error msg="Error: failed: .*authorization\\":\\"\*\*\*\\".*cookie\\":\\"\*\*\*\\".* from http:\/\/user:\*\*\*@127\.0\.0\.1:1\//i);
    expect(r.stderr).toMatch(/^error: the target never answered: .*http:\/\/\*{4}:\*+@127/m);
    expect(r.stderr).not.toMatch(/s3cret/);
    expect(r.stdout).not.toMatch(/s3cret/);
  });

  it('inspect, text and JSON', async () => {
    for (const args of [['inspect', 'script.ts'], ['inspect', '-v', 'script.ts']]) {
      const r = await loadts(args, { cwd: dir });
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('http://tagger:***@example.test/');
      expect(r.stdout + r.stderr).not.toMatch(/s3cret/);
    }
  });
});
