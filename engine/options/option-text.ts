import { LoadtsError, type LoadtsErrorCode } from '../errors.js';
import { isBareNumberDuration, parseDuration } from './duration.js';
import type { Stage } from './types.js';

/**
 * Parsers for the text forms options take in environment variables and flags (k6's syntax), shared
 * by `env.ts` and `cli/args.ts`. Each names `where` (the variable or flag) in its error.
 */
export interface TextContext {
  /** The variable or flag, e.g. 'environment variable LOADTS_VUS' or '--stage'. */
  where: string;
  /** Error code: INVALID_OPTION for variables, INVALID_FLAG for flags. */
  code: LoadtsErrorCode;
}

function fail(ctx: TextContext, problem: string): LoadtsError {
  return new LoadtsError(ctx.code, `invalid ${ctx.where}: ${problem}`);
}

/** A whole number, sign allowed ('-3' is left for option validation to reject with its rule). */
export function parseIntegerText(text: string, ctx: TextContext): number {
  const s = text.trim();
  if (!/^[+-]?\d+$/.test(s)) throw fail(ctx, `${JSON.stringify(text)} is not a whole number`);
  const n = Number(s);
  if (!Number.isSafeInteger(n)) throw fail(ctx, `${JSON.stringify(text)} is too large`);
  return n;
}

/** true/false as Go's strconv.ParseBool reads them (1, t, true, 0, f, false), plus yes/no/on/off. */
export function parseBooleanText(text: string, ctx: TextContext): boolean {
  const s = text.trim().toLowerCase();
  if (['1', 't', 'true', 'yes', 'y', 'on'].includes(s)) return true;
  if (['0', 'f', 'false', 'no', 'n', 'off'].includes(s)) return false;
  throw fail(ctx, `${JSON.stringify(text)} is not true or false`);
}

/** 'a, b,c' → ['a', 'b', 'c'] (empty items dropped). */
export function parseListText(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Checks a duration's syntax, returning it unchanged (resolution parses it again with the option's
 * rules). With `requireUnit`, a plain number is rejected, as k6's flags (Go's time.ParseDuration) do;
 * elsewhere k6 reads a plain number as milliseconds.
 */
export function checkDurationText(text: string, ctx: TextContext, requireUnit: boolean): string {
  const s = text.trim();
  if (requireUnit && isBareNumberDuration(s) && Number(s) !== 0) {
    throw fail(ctx, `${JSON.stringify(text)} needs a unit (e.g. ${s}s or ${s}ms)`);
  }
  try {
    parseDuration(s, ctx.where);
  } catch (e) {
    if (e instanceof LoadtsError && ctx.code !== e.code) throw new LoadtsError(ctx.code, e.message);
    throw e;
  }
  return s;
}

/**
 * Parses stages in k6's `--stage` / K6_STAGES form: 'DURATION:TARGET' items separated by commas,
 * e.g. '30s:10,1m:20'.
 */
export function parseStagesText(text: string, ctx: TextContext, requireUnit: boolean): Stage[] {
  const items = parseListText(text);
  if (items.length === 0) throw fail(ctx, `${JSON.stringify(text)} has no stage (use DURATION:TARGET, e.g. 30s:10)`);
  return items.map((item) => {
    const colon = item.lastIndexOf(':');
    if (colon <= 0 || colon === item.length - 1) throw fail(ctx, `stage ${JSON.stringify(item)} is not DURATION:TARGET (e.g. 30s:10)`);
    const duration = checkDurationText(item.slice(0, colon), ctx, requireUnit);
    const target = parseIntegerText(item.slice(colon + 1), ctx);
    return { duration, target };
  });
}

/**
 * Parses one 'KEY=VALUE' pair; k6's map syntax 'KEY:VALUE' is read too (whichever of '=' and ':'
 * comes first separates them). The key must not be empty.
 */
export function parseKeyValueText(text: string, ctx: TextContext, separators: '=' | '=:' = '='): [string, string] {
  const eq = text.indexOf('=');
  const colon = separators === '=:' ? text.indexOf(':') : -1;
  const at = eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
  const key = at < 0 ? '' : text.slice(0, at).trim();
  if (key === '') throw fail(ctx, `${JSON.stringify(text)} is not KEY=VALUE`);
  return [key, text.slice(at + 1)];
}

/** Parses 'k=v,k2=v2' (or k6's 'k:v,k2:v2') into a map. */
export function parseKeyValuesText(text: string, ctx: TextContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of parseListText(text)) {
    const [k, v] = parseKeyValueText(item, ctx, '=:');
    out[k] = v.trim();
  }
  return out;
}
