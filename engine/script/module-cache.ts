import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * The cache of remote modules (`import … from 'https://…'`), fetched once at bundle time and reused
 * from then on, with or without a network: an entry is the module's text, keyed by its URL, and is
 * never refetched (remote module URLs are versioned, as jslib.k6.io's are; delete the folder to
 * fetch again). The default folder is the user's cache folder, so that nothing appears in the
 * project and every script shares it; LOADTS_MODULE_CACHE points elsewhere, e.g. at a folder
 * committed with the tests, for CI machines with no network.
 */
export interface ModuleFetchResult {
  status: number;
  statusText: string;
  /** The URL after redirects. */
  url: string;
  text: string;
}

/** Fetches a module's text; injectable for tests. */
export type ModuleFetcher = (url: string) => Promise<ModuleFetchResult>;

/** Larger than any real module; a bound so that a wrong URL cannot fill the disk or the heap. */
const MAX_BYTES = 20 * 1024 * 1024;
const TIMEOUT_MS = 30_000;

/** The cache folder: LOADTS_MODULE_CACHE, else the platform's user cache folder + loadts/modules. */
export function moduleCacheDir(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform, home: string = homedir()): string {
  const set = env.LOADTS_MODULE_CACHE;
  if (set !== undefined && set.trim() !== '') return resolve(set);
  if (platform === 'win32') return join(env.LOCALAPPDATA || join(home, 'AppData', 'Local'), 'loadts', 'Cache', 'modules');
  if (platform === 'darwin') return join(home, 'Library', 'Caches', 'loadts', 'modules');
  return join(env.XDG_CACHE_HOME || join(home, '.cache'), 'loadts', 'modules');
}

function entryPath(dir: string, url: string): string {
  return join(dir, `${createHash('sha256').update(url).digest('hex').slice(0, 40)}.js`);
}

/** The cached text of `url`, or undefined. */
export function readCachedModule(dir: string, url: string): string | undefined {
  try {
    return readFileSync(entryPath(dir, url), 'utf8');
  } catch {
    return undefined;
  }
}

/** Stores `text` for `url` (written under a temporary name first, so a concurrent run never reads half). */
export function writeCachedModule(dir: string, url: string, text: string): void {
  const path = entryPath(dir, url);
  mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  writeFileSync(`${path.slice(0, -3)}.json`, `${JSON.stringify({ url, fetchedAt: new Date().toISOString(), bytes: Buffer.byteLength(text) })}\n`);
}

/** Whether `url` may be fetched: https, or http to a loopback host (a local module server, tests). */
export function fetchableUrl(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (u.protocol === 'https:') return true;
  if (u.protocol !== 'http:') return false;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Node's fetch, bounded in time and size. */
export const networkFetcher: ModuleFetcher = async (url) => {
  const res = await fetch(url, { redirect: 'follow', signal: AbortSignal.timeout(TIMEOUT_MS) });
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES) throw new Error(`it is ${length} bytes, more than the ${MAX_BYTES} a module may have`);
  const text = await res.text();
  if (Buffer.byteLength(text) > MAX_BYTES) throw new Error(`it is more than the ${MAX_BYTES} bytes a module may have`);
  return { status: res.status, statusText: res.statusText, url: res.url || url, text };
};
