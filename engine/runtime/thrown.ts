/**
 * Where a non-Error value was thrown. A thrown string carries no stack, so the bundler rewrites the
 * script's `throw x` into `throw __loadtsThrow(x)` (engine/script/throw-sites.ts); the hook notes the
 * call site of each such throw, per VU, and the error log reads it back (k6 prints a stack for any
 * thrown value).
 */
import { THROW_HOOK } from '../script/throw-sites.js';
import { currentScope } from './context.js';
import { userFrames, type UserFrame } from './log.js';

interface Site {
  value: unknown;
  holder: { stack?: string };
}

const OUTSIDE_VUS = {};
const sites = new WeakMap<object, Site>();
/** The thread's latest, for callers that do not know the VU (setup() and teardown() failures). */
let latest: Site | undefined;

function hook(value: unknown): unknown {
  if (value instanceof Error) return value;
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, hook);
  latest = { value, holder };
  sites.set(currentScope()?.vu ?? OUTSIDE_VUS, latest);
  return value;
}

(globalThis as Record<string, unknown>)[THROW_HOOK] = hook;

/**
 * 'script.ts:12:7' for `e`: an Error's own stack, or, for another value, where the running VU (or
 * code outside VUs) last threw it. Undefined when unknown.
 */
export function whereThrown(e: unknown, vu: object | undefined, scriptFile: string | undefined): string | undefined {
  return thrownFrames(e, vu, scriptFile, 1)[0]?.where;
}

/** The script's frames where `e` was thrown (innermost first); [] when unknown. */
export function thrownFrames(e: unknown, vu: object | undefined, scriptFile: string | undefined, max = 8): UserFrame[] {
  if (e instanceof Error) return userFrames(e.stack ?? '', scriptFile, max);
  const site = vu === undefined ? latest : sites.get(vu);
  if (site === undefined || !Object.is(site.value, e)) return [];
  return userFrames(site.holder.stack ?? '', scriptFile, max);
}
