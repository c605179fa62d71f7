import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureDir, loadts, testServer } from './helpers.js';

/**
 * Remote modules through the built CLI: a module served over loopback http is fetched at bundle
 * time into the module cache (LOADTS_MODULE_CACHE), then reused with the server gone; jslib
 * k6-utils / k6-summary resolve to loadts's own; --no-remote-modules and its environment variables
 * refuse fetching with one line naming file:line.
 */
describe('remote modules (loadts run)', () => {
  let server: Awaited<ReturnType<typeof testServer>>;
  const served: string[] = [];
  const cache = mkdtempSync(join(tmpdir(), 'loadts-modules-'));
  let dir: string;
  beforeAll(async () => {
    server = await testServer((req, res) => {
      served.push(req.url ?? '');
      if (req.url === '/lib/greet.js') return res.end("import { word } from './word.js';\nexport function greet(name) { return `hello ${name}, ${word}`; }\n");
      if (req.url === '/lib/word.js') return res.end("export const word = 'from the module server';\n");
      res.statusCode = 404;
      res.end('not here');
    });
    dir = fixtureDir({
      'script.js': [
        `import { greet } from '${server.url}/lib/greet.js';`,
        "import { randomIntBetween, findBetween } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';",
        "import { jUnit } from 'https://jslib.k6.io/k6-summary/0.1.0/index.js';",
        "export const options = { iterations: 1, thresholds: { iterations: ['count==1'] } };",
        'export default function () {',
        "  console.log(`${greet('vu')} ${randomIntBetween(7, 7)} ${findBetween('<b>x</b>', '<b>', '</b>')}`);",
        '}',
        "export function handleSummary(data) { return { [`${__ENV.OUT}`]: jUnit(data, { name: 'ci' }) }; }",
      ].join('\n'),
      'missing.js': `// a module the server does not have\nimport x from '${server.url}/nope.js';\nexport default function () { return x; }\n`,
    });
  });
  afterAll(() => server?.close());

  const env = (extra: Record<string, string> = {}) => ({ LOADTS_MODULE_CACHE: cache, LOADTS_NO_BUNDLE_CACHE: '1', ...extra });

  it('fetches once into the cache, then runs offline from it', async () => {
    const out1 = join(dir, 'junit1.xml');
    const first = await loadts(['run', '-q', join(dir, 'script.js')], { env: env({ OUT: out1 }) });
    expect(first.code, first.stderr).toBe(0);
    expect(`${first.stdout}${first.stderr}`).toContain('hello vu, from the module server 7 x');
    expect(served).toEqual(['/lib/greet.js', '/lib/word.js']);
    expect(readdirSync(cache).filter((f) => f.endsWith('.js'))).toHaveLength(2);
    expect(readFileSync(out1, 'utf8')).toMatch(/<testsuite name="ci" tests="1" failures="0"><testcase name="iterations - count==1" \/>/);

    await server.close();
    const second = await loadts(['run', '-q', '--no-summary', join(dir, 'script.js')], { env: env({ OUT: join(dir, 'junit2.xml') }) });
    expect(second.code, second.stderr).toBe(0);
    expect(`${second.stdout}${second.stderr}`).toContain('hello vu, from the module server 7 x');
    expect(served).toHaveLength(2);
  });

  it('--no-remote-modules, LOADTS_NO_REMOTE_MODULES and K6_NO_REMOTE_MODULES refuse with file:line, exit 107', async () => {
    const other = mkdtempSync(join(tmpdir(), 'loadts-modules-empty-'));
    for (const [args, extra] of [
      [['--no-remote-modules'], {}],
      [[], { LOADTS_NO_REMOTE_MODULES: 'true' }],
      [[], { K6_NO_REMOTE_MODULES: '1' }],
    ] as Array<[string[], Record<string, string>]>) {
      const r = await loadts(['run', '-q', ...args, join(dir, 'script.js')], { env: env({ ...extra, LOADTS_MODULE_CACHE: other }) });
      expect(r.code, r.stderr).toBe(107);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: script\.js:1:\d+: remote module http:\/\/127\.0\.0\.1:\d+\/lib\/greet\.js is not allowed: --no-remote-modules/);
    }
  });

  it('a module that cannot be fetched is one line naming file:line and the URL', async () => {
    const r = await loadts(['run', '-q', join(dir, 'missing.js')], { env: env() });
    expect(r.code).toBe(107);
    expect(r.stderr).toMatch(/^error: missing\.js:2:\d+: cannot fetch remote module http:\/\/127\.0\.0\.1:\d+\/nope\.js \(/);
  });
});
