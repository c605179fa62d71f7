import { LoadtsError } from '../errors.js';
import type { Options, Stage } from './types.js';

type Kind = 'int' | 'string' | 'bool' | 'list' | 'stages' | 'tags' | 'duration';

/** Environment variable suffix → option and how to read it. LOADTS_<suffix>, or K6_<suffix>. */
const VARS: Record<string, [keyof Options, Kind]> = {
  VUS: ['vus', 'int'],
  DURATION: ['duration', 'duration'],
  ITERATIONS: ['iterations', 'int'],
  STAGES: ['stages', 'stages'],
  SUMMARY_TREND_STATS: ['summaryTrendStats', 'list'],
  SUMMARY_TIME_UNIT: ['summaryTimeUnit', 'string'],
  USER_AGENT: ['userAgent', 'string'],
  DISCARD_RESPONSE_BODIES: ['discardResponseBodies', 'bool'],
  NO_CONNECTION_REUSE: ['noConnectionReuse', 'bool'],
  NO_VU_CONNECTION_REUSE: ['noVUConnectionReuse', 'bool'],
  INSECURE_SKIP_TLS_VERIFY: ['insecureSkipTLSVerify', 'bool'],
  MAX_REDIRECTS: ['maxRedirects', 'int'],
  NO_COLOR: ['noColor', 'bool'],
  SETUP_TIMEOUT: ['setupTimeout', 'duration'],
  TEARDOWN_TIMEOUT: ['teardownTimeout', 'duration'],
  EXECUTION_SEGMENT: ['executionSegment', 'string'],
  EXECUTION_SEGMENT_SEQUENCE: ['executionSegmentSequence', 'string'],
  NO_COOKIES_RESET: ['noCookiesReset', 'bool'],
  BATCH: ['batch', 'int'],
  BATCH_PER_HOST: ['batchPerHost', 'int'],
  TAGS: ['tags', 'tags'],
};

/** Parses '30s:10,1m:20' (the --stage / LOADTS_STAGES syntax). */
export function parseStages(text: string, where: string): Stage[] {
  return text
    .split(',')
    .filter((p) => p.trim() !== '')
    .map((part) => {
      const m = /^\s*([^:]+):\s*(\d+)\s*$/.exec(part);
      if (!m) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${part.trim()}" (use duration:target, e.g. 30s:10)`);
      return { duration: (m[1] ?? '').trim(), target: Number(m[2]) };
    });
}

/** Parses 'k=v,k2=v2'. */
export function parseKeyValues(text: string, where: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',').filter((p) => p.trim() !== '')) {
    const i = part.indexOf('=');
    if (i <= 0) throw new LoadtsError('INVALID_OPTION', `invalid ${where}: "${part}" (use key=value)`);
    out[part.slice(0, i).trim()] = part.slice(i + 1);
  }
  return out;
}

function read(kind: Kind, raw: string, name: string): unknown {
  switch (kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new LoadtsError('INVALID_OPTION', `invalid environment variable ${name}: "${raw}" is not a whole number`);
      return Number(raw);
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', ''].includes(v)) return true;
      if (['0', 'false', 'no'].includes(v)) return false;
      throw new LoadtsError('INVALID_OPTION', `invalid environment variable ${name}: "${raw}" is not true or false`);
    }
    case 'list':
      return raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
    case 'stages':
      return parseStages(raw, `environment variable ${name}`);
    case 'tags':
      return parseKeyValues(raw, `environment variable ${name}`);
    case 'duration':
    case 'string':
      return raw;
  }
}

/**
 * Options from LOADTS_* environment variables; K6_* names are read too (LOADTS_ wins), so CI jobs
 * written for k6 keep working.
 */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): Options {
  const out: Record<string, unknown> = {};
  for (const [suffix, [option, kind]] of Object.entries(VARS)) {
    for (const prefix of ['K6_', 'LOADTS_']) {
      const name = prefix + suffix;
      const raw = env[name];
      if (raw !== undefined) out[option] = read(kind, raw, name);
    }
  }
  return out as Options;
}
