import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { LoadtsError } from '../errors.js';
import { loadtsVersion } from '../options/version.js';
import { bundleCacheEnabled, lookupBundle, storeBundle } from './bundle-cache.js';
import { markThrowSites } from './throw-sites.js';

/** A bundled script ready for worker threads to import. */
export interface Bundle {
  /** The user's script, absolute. */
  readonly scriptPath: string;
  /** file:// URL of the bundled ESM module. */
  readonly url: string;
  /** It came from the bundle cache (see bundle-cache.ts). */
  readonly cached: boolean;
  /** Removes the bundle's temporary directory. */
  dispose(): Promise<void>;
}

const apiDir = fileURLToPath(new URL('../api/', import.meta.url));

let salt: string | undefined;
/** What a cached bundle depends on besides its input files: this loadts and esbuild's version. */
function cacheSalt(): string {
  if (salt === undefined) {
    let esbuildVersion = '?';
    try {
      const pkg = createRequire(import.meta.url).resolve('esbuild/package.json');
      esbuildVersion = (JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      // unknown: still a stable salt
    }
    salt = `${apiDir}\0${loadtsVersion()}\0${esbuildVersion}\0${BUNDLE_FORMAT}`;
  }
  return salt;
}

/** Bump when the bundle's options change, so old cache entries stop matching. */
const BUNDLE_FORMAT = 2;

/**
 * Module names scripts import, and the engine file that answers each. k6's names are aliases, so a
 * k6 script ports by making its VU function async and awaiting requests and sleeps.
 */
export const MODULE_ALIASES: Readonly<Record<string, string>> = {
  loadts: 'index',
  k6: 'index',
  'loadts/http': 'http',
  'k6/http': 'http',
  'loadts/metrics': 'metrics',
  'k6/metrics': 'metrics',
  'loadts/execution': 'execution',
  'k6/execution': 'execution',
  'loadts/data': 'data',
  'k6/data': 'data',
  'loadts/encoding': 'encoding',
  'k6/encoding': 'encoding',
  'loadts/timers': 'timers',
  'k6/timers': 'timers',
  'k6/experimental/timers': 'timers',
  'loadts/summary': 'summary',
  'loadts/llm': 'llm',
};

/** k6's jslib textSummary module (https://jslib.k6.io/k6-summary/0.0.x/index.js) maps to ours. */
const JSLIB_SUMMARY = /^https:\/\/jslib\.k6\.io\/k6-summary\/[^/]+\/index\.js$/;

/** Absolute path of the engine's API module for `name` (built .js, or .ts when run from source). */
function apiFile(name: string): string {
  const js = join(apiDir, `${name}.js`);
  if (existsSync(js)) return js;
  return join(apiDir, `${name}.ts`);
}

/**
 * Injected into every bundle: a script's free `setTimeout`, `setInterval`, `clearTimeout` and
 * `clearInterval` are loadts/timers', which an iteration waits for (k6's event loop). The engine's
 * own code, loaded outside the bundle, keeps Node's.
 */
const TIMER_GLOBALS = "export { setTimeout, setInterval, clearTimeout, clearInterval } from 'loadts/timers';";

const aliasPlugin: Plugin = {
  name: 'loadts-modules',
  setup(b) {
    // The script's global setTimeout & co. are loadts/timers' (see globalsPlugin).
    b.onResolve({ filter: /^loadts:globals$/ }, () => ({ path: 'globals', namespace: 'loadts' }));
    b.onLoad({ filter: /.*/, namespace: 'loadts' }, () => ({ contents: TIMER_GLOBALS, loader: 'js', resolveDir: apiDir }));
    b.onResolve({ filter: /^(loadts|k6)(\/.*)?$/ }, (args) => {
      const target = MODULE_ALIASES[args.path];
      if (target === undefined) {
        const known = Object.keys(MODULE_ALIASES).join(', ');
        return { errors: [{ text: `unknown module "${args.path}" (loadts provides: ${known})` }] };
      }
      return { path: pathToFileURL(apiFile(target)).href, external: true };
    });
    b.onResolve({ filter: /^https?:\/\// }, (args) => {
      if (JSLIB_SUMMARY.test(args.path)) return { path: pathToFileURL(apiFile('summary')).href, external: true };
      return {
        errors: [{ text: `remote module "${args.path}" cannot be loaded: loadts bundles local files and npm packages only (install it with npm, or vendor the file)` }],
      };
    });
  },
};

function formatMessage(m: Message, cwd: string): string {
  const loc = m.location;
  if (!loc) return m.text;
  return `${relative(cwd, resolve(cwd, loc.file)) || loc.file}:${loc.line}:${loc.column + 1}: ${m.text}`;
}

/**
 * Bundles `scriptPath` (TypeScript or JavaScript) and everything it imports into one ESM file
 * with an inline source map, so stack traces point at the user's lines. Syntax and resolution
 * errors become LoadtsError('SCRIPT_BUNDLE') naming file:line:column.
 */
export async function bundleScript(scriptPath: string, cwd = process.cwd()): Promise<Bundle> {
  const abs = resolve(cwd, scriptPath);
  if (!existsSync(abs)) throw new LoadtsError('SCRIPT_BUNDLE', `script not found: ${scriptPath}`);
  const cacheKey = bundleCacheEnabled() ? { scriptPath: abs, salt: cacheSalt() } : undefined;
  const cached = cacheKey && lookupBundle(cacheKey);
  if (cached !== undefined) return { scriptPath: abs, url: pathToFileURL(cached).href, cached: true, dispose: async () => {} };
  const dir = await mkdtemp(join(tmpdir(), 'loadts-'));
  const file = join(dir, 'script.mjs');
  const dispose = () => rm(dir, { recursive: true, force: true });
  let code: string;
  try {
    // Loaded here, not at the top: esbuild's JS API takes ~50 ms to load, which the caller
    // overlaps with starting worker threads.
    const { build } = await import('esbuild');
    const result = await build({
      entryPoints: [abs],
      outfile: file,
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      absWorkingDir: dirname(abs),
      plugins: [aliasPlugin],
      inject: ['loadts:globals'],
      metafile: cacheKey !== undefined,
      // npm packages that use require() inside ESM output need a real require.
      banner: { js: "import { createRequire as __loadtsCreateRequire } from 'node:module'; const require = __loadtsCreateRequire(import.meta.url);" },
    });
    const out = result.outputFiles[0];
    if (!out) throw new LoadtsError('SCRIPT_BUNDLE', `bundling ${scriptPath} produced no output`);
    code = markThrowSites(out.text);
    if (cacheKey !== undefined && result.metafile) {
      const inputs = Object.keys(result.metafile.inputs).map((p) => resolve(dirname(abs), p));
      const stored = storeBundle(cacheKey, inputs, code);
      if (stored !== undefined) {
        await dispose();
        return { scriptPath: abs, url: pathToFileURL(stored).href, cached: false, dispose: async () => {} };
      }
    }
  } catch (e) {
    await dispose();
    if (e instanceof LoadtsError) throw e;
    const errors = (e as { errors?: Message[] }).errors;
    if (Array.isArray(errors) && errors.length > 0) {
      const first = formatMessage(errors[0]!, cwd);
      const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
      throw new LoadtsError('SCRIPT_BUNDLE', `${first}${more}`);
    }
    throw new LoadtsError('SCRIPT_BUNDLE', `cannot bundle ${scriptPath}: ${(e as Error).message}`);
  }
  await writeFile(file, code);
  return { scriptPath: abs, url: pathToFileURL(file).href, cached: false, dispose };
}
