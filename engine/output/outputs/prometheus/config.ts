import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LoadtsError } from '../../../errors.js';
import { parseDuration } from '../../../options/duration.js';
import { parseTrendStat } from '../../../metrics/trend-stat.js';

/** `--out experimental-prometheus-rw`'s settings, from k6's K6_PROMETHEUS_RW_* variables. */
export interface RemoteWriteConfig {
  serverUrl: string;
  pushIntervalMs: number;
  trendAsNativeHistogram: boolean;
  trendStats: string[];
  staleMarkers: boolean;
  /** Static labels on every series (script tags win over them). */
  labels: Record<string, string>;
  headers: Record<string, string>;
  insecureSkipTlsVerify: boolean;
  clientCert: string | undefined;
  clientKey: string | undefined;
}

const PREFIX = 'K6_PROMETHEUS_RW_';
const DEFAULT_URL = 'http://localhost:9090/api/v1/write';

function bool(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const v = env[PREFIX + name]?.trim().toLowerCase();
  if (v === undefined || v === '') return false;
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  throw new LoadtsError('INVALID_FLAG', `${PREFIX}${name} must be true or false, got ${JSON.stringify(env[PREFIX + name])}`);
}

/** 'a=1,b=2' (LABELS) or 'a:1,b:2' (HTTP_HEADERS) into a map. */
function pairs(text: string | undefined, sep: '=' | ':', name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (text ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const at = part.indexOf(sep);
    if (at <= 0) throw new LoadtsError('INVALID_FLAG', `${PREFIX}${name}: ${JSON.stringify(part)} is not key${sep}value`);
    out[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return out;
}

/**
 * Reads k6's options for its Prometheus remote-write output (the same variable names). The
 * `--out` argument, when given, is the server URL. AWS SigV4 signing is not supported: it is
 * refused in one line rather than ignored.
 * @throws LoadtsError('INVALID_FLAG') naming the variable
 */
export function remoteWriteConfig(arg: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): RemoteWriteConfig {
  const serverUrl = arg !== undefined && arg.trim() !== '' ? arg.trim() : env[`${PREFIX}SERVER_URL`] || DEFAULT_URL;
  try {
    const u = new URL(serverUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new LoadtsError('INVALID_FLAG', `${PREFIX}SERVER_URL ${JSON.stringify(serverUrl)} is not an http(s) URL (e.g. ${DEFAULT_URL})`);
  }
  const pushIntervalMs = parseDuration(env[`${PREFIX}PUSH_INTERVAL`] || '5s', `${PREFIX}PUSH_INTERVAL`);
  if (pushIntervalMs <= 0) throw new LoadtsError('INVALID_FLAG', `${PREFIX}PUSH_INTERVAL must be longer than 0`);
  const trendStats = (env[`${PREFIX}TREND_STATS`] || 'p(99)').split(',').map((s) => s.trim()).filter((s) => s !== '');
  for (const s of trendStats) {
    try {
      parseTrendStat(s);
    } catch {
      throw new LoadtsError('INVALID_FLAG', `${PREFIX}TREND_STATS: ${JSON.stringify(s)} is not a trend stat (count, sum, min, max, avg, med, p(N))`);
    }
  }
  if (Object.keys(env).some((k) => k.startsWith(`${PREFIX}SIGV4_`))) throw new LoadtsError('INVALID_FLAG', `${PREFIX}SIGV4_*: AWS SigV4 signing is not supported by loadts's remote-write output`);
  const headers: Record<string, string> = { ...pairs(env[`${PREFIX}HTTP_HEADERS`], ':', 'HTTP_HEADERS') };
  for (const [k, v] of Object.entries(env)) if (k.startsWith(`${PREFIX}HEADERS_`) && v !== undefined) headers[k.slice(`${PREFIX}HEADERS_`.length)] = v;
  const user = env[`${PREFIX}USERNAME`];
  if (user !== undefined && user !== '') headers.authorization = `Basic ${Buffer.from(`${user}:${env[`${PREFIX}PASSWORD`] ?? ''}`).toString('base64')}`;
  const bearer = env[`${PREFIX}BEARER_TOKEN`];
  if (bearer !== undefined && bearer !== '') headers.authorization = `Bearer ${bearer}`;
  const file = (name: string) => {
    const p = env[PREFIX + name];
    if (p === undefined || p === '') return undefined;
    try {
      return readFileSync(resolve(cwd, p), 'utf8');
    } catch (e) {
      throw new LoadtsError('INVALID_FLAG', `${PREFIX}${name} ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  };
  return {
    serverUrl,
    pushIntervalMs,
    trendAsNativeHistogram: bool(env, 'TREND_AS_NATIVE_HISTOGRAM'),
    trendStats,
    staleMarkers: bool(env, 'STALE_MARKERS'),
    labels: pairs(env[`${PREFIX}LABELS`], '=', 'LABELS'),
    headers,
    insecureSkipTlsVerify: bool(env, 'INSECURE_SKIP_TLS_VERIFY'),
    clientCert: file('CLIENT_CERTIFICATE'),
    clientKey: file('CLIENT_CERTIFICATE_KEY'),
  };
}
