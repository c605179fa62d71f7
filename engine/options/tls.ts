import type { ResolvedOptions } from './types.js';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { invalid, isPlainObject, show, type Where } from './checks.js';

/** k6's TLS version names, oldest first. ssl3.0 is k6's too, but Node's OpenSSL cannot speak it. */
export const TLS_VERSIONS = ['tls1.0', 'tls1.1', 'tls1.2', 'tls1.3'] as const;
export type TlsVersionName = (typeof TLS_VERSIONS)[number];

/** The `tlsVersion` option resolved: '' on a side means no constraint there. */
export interface ResolvedTlsVersion {
  min: TlsVersionName | '';
  max: TlsVersionName | '';
}

/** One `tlsAuth` entry: a client certificate and key (PEM) for some hosts. */
export interface ResolvedTlsAuth {
  /** Host names ('api.example.com', '*.example.com'); empty: every host. */
  domains: string[];
  cert: string;
  key: string;
  /** For an encrypted key; '' when none. */
  password: string;
}

function versionName(v: unknown, w: Where): TlsVersionName {
  if (v === 'ssl3.0') throw invalid(w, 'ssl3.0 is not supported (Node\'s TLS speaks tls1.0 to tls1.3)');
  if (typeof v !== 'string' || !(TLS_VERSIONS as readonly string[]).includes(v)) throw invalid(w, `must be one of ${TLS_VERSIONS.join(', ')}, got ${show(v)}`);
  return v as TlsVersionName;
}

/**
 * k6's `tlsVersion`: one version ('tls1.2': exactly that one) or `{ min, max }` (either may be left
 * out). min must not be above max.
 */
export function resolveTlsVersion(v: unknown, w: Where): ResolvedTlsVersion {
  if (v === undefined) return { min: '', max: '' };
  if (typeof v === 'string') {
    const one = versionName(v, w);
    return { min: one, max: one };
  }
  if (!isPlainObject(v)) throw invalid(w, `must be a version such as "tls1.2" or { min, max }, got ${show(v)}`);
  for (const k of Object.keys(v)) if (k !== 'min' && k !== 'max') throw invalid(w, `unknown key ${show(k)} (use min and max)`);
  const min = v.min === undefined || v.min === '' ? '' : versionName(v.min, { ...w, path: `${w.path}.min` });
  const max = v.max === undefined || v.max === '' ? '' : versionName(v.max, { ...w, path: `${w.path}.max` });
  if (min !== '' && max !== '' && TLS_VERSIONS.indexOf(min) > TLS_VERSIONS.indexOf(max)) throw invalid(w, `min ${min} is above max ${max}`);
  return { min, max };
}

/**
 * k6's `tlsAuth`: `[{ domains, cert, key, password? }]`, PEM strings. Each certificate and key is
 * parsed here, so that a bad one is reported before any load, with its index.
 */
export function resolveTlsAuth(v: unknown, w: Where): ResolvedTlsAuth[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(w, `must be a list of { domains, cert, key }, got ${show(v)}`);
  return v.map((entry, i) => {
    const at = (k: string): Where => ({ ...w, path: `${w.path}[${i}]${k === '' ? '' : `.${k}`}` });
    if (!isPlainObject(entry)) throw invalid(at(''), `must be an object { domains, cert, key }, got ${show(entry)}`);
    for (const k of Object.keys(entry)) if (!['domains', 'cert', 'key', 'password'].includes(k)) throw invalid(at(''), `unknown key ${show(k)} (use domains, cert, key, password)`);
    const domains = entry.domains ?? [];
    if (!Array.isArray(domains) || domains.some((d) => typeof d !== 'string' || d === '')) throw invalid(at('domains'), `must be a list of host names, got ${show(entry.domains)}`);
    if (typeof entry.cert !== 'string' || !entry.cert.includes('-----BEGIN')) throw invalid(at('cert'), 'must be a PEM certificate (a string with -----BEGIN CERTIFICATE-----)');
    if (typeof entry.key !== 'string' || !entry.key.includes('-----BEGIN')) throw invalid(at('key'), 'must be a PEM private key (a string with -----BEGIN … PRIVATE KEY-----)');
    const password = entry.password === undefined || entry.password === null ? '' : entry.password;
    if (typeof password !== 'string') throw invalid(at('password'), `must be a string, got ${show(entry.password)}`);
    try {
      new X509Certificate(entry.cert);
    } catch (e) {
      throw invalid(at('cert'), `is not a valid certificate (${(e as Error).message})`);
    }
    try {
      createPrivateKey(password === '' ? entry.key : { key: entry.key, passphrase: password });
    } catch (e) {
      throw invalid(at('key'), `cannot be read${password === '' ? ' (encrypted? set password)' : ''} (${(e as Error).message})`);
    }
    return { domains: (domains as string[]).map((d) => d.toLowerCase()), cert: entry.cert, key: entry.key, password };
  });
}

/** The options with secrets hidden (TLS client keys and their passwords): for inspect and run records, which end up in CI logs and artifacts. */
export function maskedOptions(options: ResolvedOptions): ResolvedOptions {
  if (options.tlsAuth.length === 0) return options;
  return { ...options, tlsAuth: options.tlsAuth.map((a) => ({ ...a, key: '(hidden)', password: a.password === '' ? '' : '(hidden)' })) };
}
