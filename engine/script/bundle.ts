import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Message, Plugin } from 'esbuild';
import { LoadtsError } from '../errors.js';
import { didYouMean } from '../options/checks.js';
import { loadtsVersion } from '../options/version.js';
import { bundleCacheEnabled, lookupBundle, storeBundle } from './bundle-cache.js';
import { REMOTE_NAMESPACE, remoteModuleOptions, remoteModulesPlugin, type RemoteModuleOptions } from './remote-modules.js';
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

/** file:// URL of the engine's API folder, which bundles import from (it depends on where loadts is installed). */
export function apiDirUrl(): string {
  return pathToFileURL(apiDir).href;
}

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
    salt = `${apiDir}\0${loadtsVersion()}\0${esbuildVersion}\0${BUNDLE_FORMAT}\0${JSON.stringify(apiExports() ?? null)}`;
  }
  return salt;
}

/** Bump when the bundle's options change, so old cache entries stop matching. */
const BUNDLE_FORMAT = 5;

/** How to bundle. */
export interface BundleOptions {
  /** Remote (https://) imports: allowed or not, cache folder, fetcher (see remote-modules.ts). */
  remoteModules?: Partial<RemoteModuleOptions>;
}

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
  'loadts/crypto': 'crypto',
  'loadts/html': 'html',
  'k6/html': 'html',
  'k6/crypto': 'crypto',
  'loadts/secrets': 'secrets',
  'k6/secrets': 'secrets',
  'loadts/timers': 'timers',
  'k6/timers': 'timers',
  'k6/experimental/timers': 'timers',
  'loadts/summary': 'summary',
  'loadts/utils': 'utils',
  'loadts/llm': 'llm',
};

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

/**
 * The names each API module exports, written by the engine's bundler (scripts/bundle-engine.mjs)
 * beside the bundled modules; undefined when running unbundled (tsc's build or the sources).
 */
let exportLists: { value: Record<string, string[]> | undefined } | undefined;
function apiExports(): Record<string, string[]> | undefined {
  if (exportLists === undefined) {
    try {
      exportLists = { value: JSON.parse(readFileSync(join(apiDir, 'exports.json'), 'utf8')) as Record<string, string[]> };
    } catch {
      exportLists = { value: undefined };
    }
  }
  return exportLists.value;
}

/**
 * `loadts/*` and `k6/*` imports: the engine's API modules, loaded at run time (external, so the
 * script shares the worker's runtime). With the export lists known, an import resolves to a small
 * module of ours that re-exports exactly those names from the real one, so that esbuild itself
 * reports a missing name with the script's file:line:column ('No matching export in "loadts/http"
 * for import "nosuch"') instead of Node failing at run time with an internal path.
 */
const aliasPlugin: Plugin = {
  name: 'loadts-modules',
  setup(b) {
    const exportsOf = apiExports();
    // The script's global setTimeout & co. are loadts/timers' (see the inject option below).
    b.onResolve({ filter: /^loadts:globals$/ }, () => ({ path: 'globals', namespace: 'loadts', sideEffects: false }));
    b.onLoad({ filter: /.*/, namespace: 'loadts' }, () => ({ contents: TIMER_GLOBALS, loader: 'js', resolveDir: apiDir }));

    b.onResolve({ filter: /^(loadts|k6)(\/.*)?$/ }, (args) => {
      const target = MODULE_ALIASES[args.path];
      if (target === undefined) {
        const known = Object.keys(MODULE_ALIASES).join(', ');
        return { errors: [{ text: `unknown module "${args.path}" (loadts provides: ${known})` }] };
      }
      const url = pathToFileURL(apiFile(target)).href;
      if (exportsOf?.[target] === undefined || args.namespace === 'loadts-api') return { path: url, external: true };
      return { path: args.path, namespace: 'loadts-api', pluginData: { url, names: exportsOf[target] } };
    });
    b.onResolve({ filter: /^file:/, namespace: 'loadts-api' }, (args) => ({ path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'loadts-api' }, (args) => {
      const { url, names } = args.pluginData as { url: string; names: string[] };
      return { contents: `export { ${names.join(', ')} } from ${JSON.stringify(url)};`, loader: 'js' };
    });
  },
};

function formatMessage(m: Message, cwd: string): string {
  const loc = m.location;
  if (!loc) return m.text;
  // a remote module's location is its URL (esbuild prefixes the plugin's namespace)
  const file = loc.file.startsWith(`${REMOTE_NAMESPACE}:`) ? loc.file.slice(REMOTE_NAMESPACE.length + 1) : relative(cwd, resolve(cwd, loc.file)) || loc.file;
  return `${file}:${loc.line}:${loc.column + 1}: ${explainText(m.text)}`;
}

/** esbuild's message about a loadts/k6 module, in the words of the script's author. */
function explainText(text: string): string {
  const m = /^No matching export in "loadts-api:([^"]+)" for import "([^"]+)"$/.exec(text);
  const names = m === null ? undefined : apiExports()?.[MODULE_ALIASES[m[1]!] ?? ''];
  if (m === null || names === undefined) return text;
  const offered = names.filter((n) => n !== 'default');
  return `module "${m[1]}" has no export named "${m[2]}"${didYouMean(m[2]!, offered)}; it exports ${offered.join(', ')}`;
}

/**
 * Bundles `scriptPath` (TypeScript or JavaScript) and everything it imports into one ESM file
 * with an inline source map, so stack traces point at the user's lines. `https://` imports are
 * fetched into the module cache, or answered by loadts's own jslib modules (remote-modules.ts).
 * Syntax and resolution
 * errors become LoadtsError('SCRIPT_BUNDLE') naming file:line:column.
 */
export async function bundleScript(scriptPath: string, cwd = process.cwd(), opts: BundleOptions = {}): Promise<Bundle> {
  const abs = resolve(cwd, scriptPath);
  if (!existsSync(abs)) throw new LoadtsError('SCRIPT_BUNDLE', `script not found: ${scriptPath}`);
  const remote = remoteModuleOptions(opts.remoteModules);
  // A bundle made with remote modules allowed must not be reused when they are forbidden.
  const cacheKey = bundleCacheEnabled() ? { scriptPath: abs, salt: `${cacheSalt()}\0remote=${remote.allow}` } : undefined;
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
      plugins: [aliasPlugin, remoteModulesPlugin(remote, (name) => pathToFileURL(apiFile(name)).href, dirname(abs))],
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
