import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScript } from './bundle.js';
import { fetchableUrl, moduleCacheDir, type ModuleFetcher } from './module-cache.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loadts-remote-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A fetcher serving `files` by URL and counting calls. */
function fakeFetch(files: Record<string, string>): ModuleFetcher & { calls: string[] } {
  const calls: string[] = [];
  const f = (async (url: string) => {
    calls.push(url);
    const text = files[url];
    return text === undefined ? { status: 404, statusText: 'Not Found', url, text: '' } : { status: 200, statusText: 'OK', url, text };
  }) as ModuleFetcher & { calls: string[] };
  f.calls = calls;
  return f;
}

describe('remote modules', () => {
  const saved = process.env.LOADTS_NO_BUNDLE_CACHE;
  beforeAll(() => {
    process.env.LOADTS_NO_BUNDLE_CACHE = '1';
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.LOADTS_NO_BUNDLE_CACHE;
    else process.env.LOADTS_NO_BUNDLE_CACHE = saved;
  });

  it('fetches a module and its relative imports once, then bundles from the cache with no fetch', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'loadts-modcache-'));
    const dir = project({ 'script.js': "import { greet } from 'https://mods.example/lib/greet.js';\nexport default function () { return greet(); }\n" });
    const fetch = fakeFetch({
      'https://mods.example/lib/greet.js': "import { word } from './word.js';\nexport const greet = () => `hello ${word}`;\n",
      'https://mods.example/lib/word.js': "export const word = 'remote';\n",
    });
    const a = await bundleScript('script.js', dir, { remoteModules: { cacheDir, fetch } });
    expect(readFileSync(fileURLToPath(a.url), 'utf8')).toMatch(/["']remote["']/);
    expect(fetch.calls).toEqual(['https://mods.example/lib/greet.js', 'https://mods.example/lib/word.js']);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.js'))).toHaveLength(2);

    const offline = fakeFetch({});
    const b = await bundleScript('script.js', dir, { remoteModules: { cacheDir, fetch: offline } });
    expect(readFileSync(fileURLToPath(b.url), 'utf8')).toMatch(/["']remote["']/);
    expect(offline.calls).toEqual([]);
    await a.dispose();
    await b.dispose();
  });

  it('maps jslib k6-utils and k6-summary to loadts modules with no fetch, even with remote modules forbidden', async () => {
    const dir = project({
      'script.js':
        "import { uuidv4 } from 'https://jslib.k6.io/k6-utils/1.4.0/index.js';\nimport { jUnit } from 'https://jslib.k6.io/k6-summary/0.1.0/index.js';\nexport default function () { return [uuidv4, jUnit]; }\n",
    });
    const fetch = fakeFetch({});
    const b = await bundleScript('script.js', dir, { remoteModules: { allow: false, cacheDir: mkdtempSync(join(tmpdir(), 'x-')), fetch } });
    const code = readFileSync(fileURLToPath(b.url), 'utf8');
    expect(code).toMatch(/api\/utils\.(js|ts)/);
    expect(code).toMatch(/api\/summary\.(js|ts)/);
    expect(fetch.calls).toEqual([]);
    await b.dispose();
  });

  it('names the importing file:line when a module is forbidden, missing, or not https', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'loadts-modcache-'));
    const dir = project({ 'script.js': "// first line\nimport x from 'https://mods.example/missing.js';\nexport default function () { return x; }\n" });
    const fetch = fakeFetch({});
    await expect(bundleScript('script.js', dir, { remoteModules: { allow: false, cacheDir, fetch } })).rejects.toThrow(
      /^script\.js:2:\d+: remote module https:\/\/mods\.example\/missing\.js is not allowed: --no-remote-modules/,
    );
    expect(fetch.calls).toEqual([]);
    await expect(bundleScript('script.js', dir, { remoteModules: { cacheDir, fetch } })).rejects.toThrow(/^script\.js:2:\d+: cannot fetch remote module .* answered 404 Not Found/);
    const down: ModuleFetcher = async () => {
      throw new TypeError('fetch failed', { cause: { code: 'ENOTFOUND' } });
    };
    await expect(bundleScript('script.js', dir, { remoteModules: { cacheDir, fetch: down } })).rejects.toThrow(/\(ENOTFOUND\), and the module cache .* does not have it/);
    writeFileSync(join(dir, 'plain.js'), "import x from 'http://mods.example/x.js';\nexport default () => x;\n");
    await expect(bundleScript('plain.js', dir, { remoteModules: { cacheDir, fetch } })).rejects.toThrow(/plain\.js:1:\d+: .*only https:\/\/ URLs are fetched/);
  });

  it('keeps its cache in the user cache folder unless LOADTS_MODULE_CACHE says otherwise; http only from loopback', () => {
    expect(moduleCacheDir({}, 'linux', '/home/u')).toBe('/home/u/.cache/loadts/modules');
    expect(moduleCacheDir({ XDG_CACHE_HOME: '/xdg' }, 'linux', '/home/u')).toBe('/xdg/loadts/modules');
    expect(moduleCacheDir({}, 'darwin', '/Users/u')).toBe('/Users/u/Library/Caches/loadts/modules');
    expect(moduleCacheDir({ LOADTS_MODULE_CACHE: '/ci/modules' }, 'linux', '/home/u')).toBe('/ci/modules');
    expect(fetchableUrl('https://jslib.k6.io/x.js')).toBe(true);
    expect(fetchableUrl('http://127.0.0.1:8080/x.js')).toBe(true);
    expect(fetchableUrl('http://[::1]:8080/x.js')).toBe(true);
    expect(fetchableUrl('http://example.com/x.js')).toBe(false);
    expect(fetchableUrl('file:///etc/passwd')).toBe(false);
  });
});
