import type { SecureVersion } from 'node:tls';
import type { ResolvedTlsAuth, ResolvedTlsVersion, TlsVersionName } from '../../options/tls.js';
import { opensslCipherList } from '../../options/cipher-suites.js';

export type { ResolvedTlsAuth, ResolvedTlsVersion };

const NODE_VERSION: Record<TlsVersionName, SecureVersion> = { 'tls1.0': 'TLSv1', 'tls1.1': 'TLSv1.1', 'tls1.2': 'TLSv1.2', 'tls1.3': 'TLSv1.3' };

/** Node TLS options for the `tlsVersion` option (k6 names → Node's minVersion/maxVersion). */
export interface TlsVersionOptions {
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  ciphers?: string;
}

/**
 * Node's TLS options for k6's tlsVersion. TLS 1.0 and 1.1 need OpenSSL's security level 0 (OpenSSL 3
 * refuses their SHA-1 signatures at the default level), so asking for them lowers it; the default
 * cipher list is kept otherwise.
 */
export function tlsVersionOptions(v: ResolvedTlsVersion | undefined, cipherSuites?: readonly string[]): TlsVersionOptions {
  const out: TlsVersionOptions = {};
  const list = opensslCipherList(cipherSuites);
  if (list !== '') out.ciphers = list;
  if (v === undefined) return out;
  if (v.min !== '') out.minVersion = NODE_VERSION[v.min];
  if (v.max !== '') out.maxVersion = NODE_VERSION[v.max];
  if (v.min === 'tls1.0' || v.min === 'tls1.1' || v.max === 'tls1.0' || v.max === 'tls1.1') out.ciphers = `${list === '' ? 'DEFAULT' : list}:@SECLEVEL=0`;
  // A max below Node's default minimum (TLSv1.2) needs the minimum lowered too.
  if (out.maxVersion !== undefined && out.minVersion === undefined && (v.max === 'tls1.0' || v.max === 'tls1.1')) out.minVersion = 'TLSv1';
  return out;
}

/** Whether `host` is one of `domains` ('api.example.com' exactly, '*.example.com' any subdomain); an empty list matches every host. */
export function hostMatches(domains: readonly string[], host: string): boolean {
  if (domains.length === 0) return true;
  const h = host.toLowerCase();
  for (const d of domains) {
    if (d === h) return true;
    if (d.startsWith('*.') && h.endsWith(d.slice(1))) return true;
  }
  return false;
}

/** The index of the first tlsAuth entry for `host`, or -1 (then no client certificate is offered). */
export function clientCertFor(auth: readonly ResolvedTlsAuth[] | undefined, host: string): number {
  if (auth === undefined) return -1;
  for (let i = 0; i < auth.length; i++) if (hostMatches(auth[i]!.domains, host)) return i;
  return -1;
}
