import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * A cache of bundled scripts, so that running the same script again skips esbuild (loading its
 * API and bundling cost 70-250 ms of start-up on a 2-core machine, more than anything else on the
 * way to the first request).
 *
 * An entry is valid while every file esbuild read (the script, its imports, the npm packages it
 * bundled: esbuild's metafile inputs) and every package.json/tsconfig.json from the script's folder
 * up to the root is unchanged (same size and mtime, or still absent), for the same loadts build
 * and esbuild version. What it cannot see: a new file that would now win module resolution without
 * any of those changing (e.g. adding `./util.ts` beside an imported `./util.js`). Set
 * LOADTS_NO_BUNDLE_CACHE=1 to bundle every time. Entries live in the OS temp folder.
 */
export interface CacheKey {
  /** The script, absolute. */
  readonly scriptPath: string;
  /** Anything else the output depends on: loadts's API folder and version, esbuild's version. */
  readonly salt: string;
}

/** [path, size, mtimeMs], or [path, -1, -1] for a file that did not exist. */
type FileStamp = [string, number, number];

interface Entry {
  readonly salt: string;
  readonly files: FileStamp[];
}

const DIR = join(tmpdir(), 'loadts-bundle-cache');
/** Entries kept; past it, a store removes the least recently written half. */
const MAX_ENTRIES = 256;

/** Whether caching is on (LOADTS_NO_BUNDLE_CACHE unset). */
export function bundleCacheEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LOADTS_NO_BUNDLE_CACHE === undefined || env.LOADTS_NO_BUNDLE_CACHE === '' || env.LOADTS_NO_BUNDLE_CACHE === '0';
}

function entryPaths(key: CacheKey): { meta: string; code: string } {
  const id = createHash('sha256').update(key.scriptPath).update('\0').update(key.salt).digest('hex').slice(0, 32);
  return { meta: join(DIR, `${id}.json`), code: join(DIR, `${id}.mjs`) };
}

function stamp(path: string): FileStamp {
  try {
    const s = statSync(path);
    return [path, s.size, s.mtimeMs];
  } catch {
    return [path, -1, -1];
  }
}

/** package.json and tsconfig.json from `dir` up to the root (they steer esbuild's resolution). */
function configFiles(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; ) {
    out.push(join(d, 'package.json'), join(d, 'tsconfig.json'));
    const parent = dirname(d);
    if (parent === d) return out;
    d = parent;
  }
}

/** The cached bundle's file path, when a valid entry exists. */
export function lookupBundle(key: CacheKey): string | undefined {
  const paths = entryPaths(key);
  let entry: Entry;
  try {
    entry = JSON.parse(readFileSync(paths.meta, 'utf8')) as Entry;
  } catch {
    return undefined;
  }
  if (entry.salt !== key.salt || !Array.isArray(entry.files)) return undefined;
  for (const [path, size, mtimeMs] of entry.files) {
    const now = stamp(path);
    if (now[1] !== size || now[2] !== mtimeMs) return undefined;
  }
  try {
    statSync(paths.code);
  } catch {
    return undefined;
  }
  return paths.code;
}

/**
 * Stores `code`, bundled from `inputs` (absolute paths), and returns the cached file's path;
 * undefined when the cache folder cannot be written (the caller then uses its own copy). Writes
 * go to a temporary name first, so a concurrent run never reads half a file.
 */
export function storeBundle(key: CacheKey, inputs: readonly string[], code: string): string | undefined {
  const paths = entryPaths(key);
  const files = [...new Set([key.scriptPath, ...inputs.map((p) => resolve(p))])].map(stamp);
  for (const c of configFiles(dirname(key.scriptPath))) files.push(stamp(c));
  const entry: Entry = { salt: key.salt, files };
  try {
    mkdirSync(DIR, { recursive: true });
    const tmp = `.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(paths.code + tmp, code);
    renameSync(paths.code + tmp, paths.code);
    writeFileSync(paths.meta + tmp, JSON.stringify(entry));
    renameSync(paths.meta + tmp, paths.meta);
    prune();
    return paths.code;
  } catch {
    return undefined;
  }
}

/** Keeps the cache folder bounded (tests and CI bundle many one-off scripts). */
function prune(): void {
  const metas = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  if (metas.length <= MAX_ENTRIES) return;
  const byAge = metas.map((f) => ({ f, t: stamp(join(DIR, f))[2] })).sort((a, b) => a.t - b.t);
  for (const { f } of byAge.slice(0, byAge.length - MAX_ENTRIES / 2)) {
    rmSync(join(DIR, f), { force: true });
    rmSync(join(DIR, f.replace(/\.json$/, '.mjs')), { force: true });
  }
}
