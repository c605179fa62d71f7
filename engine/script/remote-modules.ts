import type { OnResolveArgs, OnResolveResult, Plugin, PluginBuild } from 'esbuild';
import { builtInJslib } from './jslib.js';
import { fetchableUrl, moduleCacheDir, networkFetcher, readCachedModule, writeCachedModule, type ModuleFetcher } from './module-cache.js';

/** How a bundle treats `import … from 'https://…'`. */
export interface RemoteModuleOptions {
  /** false: --no-remote-modules (built-in jslib modules still resolve: they need no network). */
  readonly allow: boolean;
  /** Where fetched modules are kept (module-cache.ts). */
  readonly cacheDir: string;
  readonly fetch: ModuleFetcher;
}

/** The defaults: allowed, the user's cache folder, Node's fetch. */
export function remoteModuleOptions(overrides: Partial<RemoteModuleOptions> = {}): RemoteModuleOptions {
  return { allow: true, cacheDir: moduleCacheDir(), fetch: networkFetcher, ...overrides };
}

/** esbuild namespace of fetched modules (their paths are their URLs). */
export const REMOTE_NAMESPACE = 'loadts-remote';
const NAMESPACE = REMOTE_NAMESPACE;

function loaderFor(url: string): 'js' | 'ts' | 'json' | 'jsx' | 'tsx' {
  const path = new URL(url).pathname;
  if (/\.m?ts$/.test(path)) return 'ts';
  if (path.endsWith('.tsx')) return 'tsx';
  if (path.endsWith('.jsx')) return 'jsx';
  if (path.endsWith('.json')) return 'json';
  return 'js';
}

function fail(text: string): OnResolveResult {
  return { errors: [{ text }] };
}

/** The module's text: from the cache, else fetched (and cached). */
async function load(url: string, opts: RemoteModuleOptions): Promise<{ text?: string; error?: string }> {
  const cached = readCachedModule(opts.cacheDir, url);
  if (cached !== undefined) return { text: cached };
  let res;
  try {
    res = await opts.fetch(url);
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    return { error: `cannot fetch remote module ${url} (${why}), and the module cache (${opts.cacheDir}) does not have it: run once with network access, or set LOADTS_MODULE_CACHE to a folder that has it` };
  }
  if (res.status !== 200) return { error: `cannot fetch remote module ${url}: the server answered ${res.status}${res.statusText ? ` ${res.statusText}` : ''}` };
  if (!fetchableUrl(res.url)) return { error: `remote module ${url} redirected to ${res.url}, which is not https` };
  try {
    writeCachedModule(opts.cacheDir, url, res.text);
  } catch (e) {
    // still usable for this bundle
    process.stderr.write(`warning: cannot write the module cache ${opts.cacheDir}: ${(e as Error).message}\n`);
  }
  return { text: res.text };
}

async function resolveUrl(url: string, b: PluginBuild, opts: RemoteModuleOptions, apiFile: (name: string) => string, scriptDir: string): Promise<OnResolveResult> {
  const builtIn = builtInJslib(url);
  if (builtIn?.kind === 'api') return { path: apiFile(builtIn.module), external: true };
  if (builtIn?.kind === 'npm') {
    const found = await b.resolve(builtIn.pkg, { kind: 'import-statement', resolveDir: scriptDir });
    if (found.errors.length === 0 && found.path !== '') return { path: found.path, namespace: found.namespace };
  }
  if (!opts.allow) {
    return fail(`remote module ${url} is not allowed: --no-remote-modules (or LOADTS_NO_REMOTE_MODULES) forbids fetching modules; install it from npm or copy the file next to the script`);
  }
  if (!fetchableUrl(url)) return fail(`remote module ${url}: only https:// URLs are fetched (http:// only from a loopback address)`);
  const got = await load(url, opts);
  if (got.error !== undefined) return fail(got.error);
  return { path: url, namespace: NAMESPACE, pluginData: { text: got.text } };
}

/**
 * Resolves `https://` imports at bundle time: k6's jslib modules to loadts's own, other URLs to
 * their text from the module cache or the network. Relative imports inside a remote module resolve
 * against its URL. Errors name the importing file:line (esbuild adds the location).
 */
export function remoteModulesPlugin(opts: RemoteModuleOptions, apiFile: (name: string) => string, scriptDir: string): Plugin {
  return {
    name: 'loadts-remote-modules',
    setup(b) {
      b.onResolve({ filter: /^https?:\/\// }, (args) => resolveUrl(args.path, b, opts, apiFile, scriptDir));
      b.onResolve({ filter: /^(\.\.?)?\//, namespace: NAMESPACE }, (args: OnResolveArgs) => resolveUrl(new URL(args.path, args.importer).href, b, opts, apiFile, scriptDir));
      b.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({ contents: (args.pluginData as { text: string }).text, loader: loaderFor(args.path) }));
    },
  };
}
