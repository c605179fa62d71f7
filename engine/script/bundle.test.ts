import { mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { bundleScript } from './bundle.js';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'loadts-bundle-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** Rewrites a file with a later mtime (some file systems keep mtimes to the second). */
function rewrite(path: string, text: string): void {
  writeFileSync(path, text);
  const later = new Date(Date.now() + 5_000);
  utimesSync(path, later, later);
}

describe('bundleScript and its cache', () => {
  const saved = process.env.LOADTS_NO_BUNDLE_CACHE;
  afterEach(() => {
    if (saved === undefined) delete process.env.LOADTS_NO_BUNDLE_CACHE;
    else process.env.LOADTS_NO_BUNDLE_CACHE = saved;
  });

  it('bundles relative imports, reuses the bundle while no input changed, and rebundles when one did', async () => {
    delete process.env.LOADTS_NO_BUNDLE_CACHE;
    const dir = project({
      'script.ts': "import { word } from './word';\nexport default function () { return word; }\n",
      'word.ts': "export const word: string = 'first';\n",
    });
    const a = await bundleScript('script.ts', dir);
    expect(a.cached).toBe(false);
    expect(readFileSync(fileURLToPath(a.url), 'utf8')).toContain('first');
    const b = await bundleScript('script.ts', dir);
    expect(b.cached).toBe(true);
    expect(b.url).toBe(a.url);

    rewrite(join(dir, 'word.ts'), "export const word: string = 'second';\n");
    const c = await bundleScript('script.ts', dir);
    expect(c.cached).toBe(false);
    expect(readFileSync(fileURLToPath(c.url), 'utf8')).toContain('second');

    // a tsconfig.json appearing beside the script also invalidates (it steers resolution)
    writeFileSync(join(dir, 'tsconfig.json'), '{}');
    expect((await bundleScript('script.ts', dir)).cached).toBe(false);
    expect((await bundleScript('script.ts', dir)).cached).toBe(true);
  });

  it('LOADTS_NO_BUNDLE_CACHE=1 bundles every time; errors are never cached', async () => {
    const dir = project({ 'script.js': 'export default function () {}\n' });
    process.env.LOADTS_NO_BUNDLE_CACHE = '1';
    const a = await bundleScript('script.js', dir);
    const b = await bundleScript('script.js', dir);
    expect([a.cached, b.cached]).toEqual([false, false]);
    await a.dispose();
    await b.dispose();

    delete process.env.LOADTS_NO_BUNDLE_CACHE;
    const bad = project({ 'bad.ts': 'export default function ( {\n' });
    await expect(bundleScript('bad.ts', bad)).rejects.toThrow(/bad\.ts:\d+:\d+: /);
    await expect(bundleScript('bad.ts', bad)).rejects.toThrow(/bad\.ts:\d+:\d+: /);
  });
});
