// Bundles the engine for fast start-up: `npm run build` runs tsc (types, dist/**/*.js for editors
// and tests), then this, which writes dist/bundle/: one small file per entry point (the CLI, the
// worker thread, each module scripts import) and shared chunks, so a run loads a handful of files
// instead of ~300 (the engine's modules and undici's, hdr-histogram-js's, chalk's and ora's).
//
// Layout matters: every entry and every chunk sits one folder below dist/bundle/ (cli/, runtime/,
// api/, chunks/), so the engine's own `new URL('../runtime/worker.js', import.meta.url)` and
// `new URL('../api/', import.meta.url)` resolve the same from the tsc build and from the bundle.
// Module identity matters too: the worker and the `loadts/*` modules a script imports share one
// runtime (engine/runtime/context.ts), which code splitting keeps in one shared chunk.
import { build } from 'esbuild';
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const api = readdirSync(`${root}engine/api`)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .map((f) => `${root}engine/api/${f}`);

// Built beside the old bundle and swapped in with two renames, so a run that starts while a build
// is under way finds a whole bundle, old or new.
const out = `${root}dist/bundle`;
const fresh = `${root}dist/.bundle-${process.pid}`;
const stale = `${root}dist/.bundle-old-${process.pid}`;
rmSync(fresh, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: [`${root}engine/cli/main.ts`, `${root}engine/runtime/worker.ts`, ...api],
  outbase: `${root}engine`,
  outdir: fresh,
  entryNames: '[dir]/[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
  // tinypool starts its own worker entry by path; esbuild is a native service: both stay packages.
  external: ['tinypool', 'esbuild'],
  // Bundled CommonJS packages (undici, hdr-histogram-js) call require() for Node's built-ins.
  metafile: true,
  banner: { js: "import { createRequire as __loadtsRequire } from 'node:module'; const require = __loadtsRequire(import.meta.url);" },
});
// The names each API module exports: the script bundler checks a script's named imports of
// loadts/* and k6/* against them (engine/script/bundle.ts), so a typo is a file:line:column error.
const exportsOf = {};
for (const info of Object.values(result.metafile.outputs)) {
  const m = info.entryPoint && /engine\/api\/([^/]+)\.ts$/.exec(info.entryPoint);
  if (m) exportsOf[m[1]] = info.exports;
}
writeFileSync(`${fresh}/api/exports.json`, `${JSON.stringify(exportsOf)}\n`);
// The dashboard page's script and styles (web/dashboard/, uPlot inside), inlined into the live page
// and the HTML report at render time (engine/dashboard/page.ts): one browser bundle, no requests.
await build({
  absWorkingDir: root,
  entryPoints: [`${root}web/dashboard/main.ts`],
  outfile: `${fresh}/web/dashboard.js`,
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
if (existsSync(out)) renameSync(out, stale);
renameSync(fresh, out);
rmSync(stale, { recursive: true, force: true });

if (process.env.LOADTS_BUNDLE_META !== undefined) {
  // LOADTS_BUNDLE_META=1: what each output holds, by package, largest first.
  for (const [out, info] of Object.entries(result.metafile.outputs)) {
    if (!out.endsWith('.js') || info.bytes < 50_000) continue;
    const byPkg = {};
    for (const [file, { bytesInOutput }] of Object.entries(info.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
      const key = m ? m[1] : file.replace(/\/[^/]+$/, '');
      byPkg[key] = (byPkg[key] ?? 0) + bytesInOutput;
    }
    const top = Object.entries(byPkg).sort((a, b) => b[1] - a[1]).slice(0, 12).map(([k, v]) => `${k} ${(v / 1024).toFixed(0)}K`);
    console.log(`${out} ${(info.bytes / 1024).toFixed(0)}K: ${top.join(', ')}`);
  }
}
