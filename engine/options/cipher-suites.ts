import { getCiphers } from 'node:tls';
import { invalid, show, type Where } from './checks.js';

/**
 * k6's `tlsCipherSuites` names (Go's crypto/tls constants, which are the IANA names) → OpenSSL's
 * names, which Node's `ciphers` option takes. TLS 1.3 suites are accepted and ignored, as in k6:
 * Go cannot restrict them, and loadts keeps Node's TLS 1.3 defaults too.
 */
const GO_TO_OPENSSL: Readonly<Record<string, string>> = {
  TLS_RSA_WITH_RC4_128_SHA: 'RC4-SHA',
  TLS_RSA_WITH_3DES_EDE_CBC_SHA: 'DES-CBC3-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA: 'AES128-SHA',
  TLS_RSA_WITH_AES_256_CBC_SHA: 'AES256-SHA',
  TLS_RSA_WITH_AES_128_CBC_SHA256: 'AES128-SHA256',
  TLS_RSA_WITH_AES_128_GCM_SHA256: 'AES128-GCM-SHA256',
  TLS_RSA_WITH_AES_256_GCM_SHA384: 'AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_RC4_128_SHA: 'ECDHE-ECDSA-RC4-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA: 'ECDHE-ECDSA-AES128-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA: 'ECDHE-ECDSA-AES256-SHA',
  TLS_ECDHE_RSA_WITH_RC4_128_SHA: 'ECDHE-RSA-RC4-SHA',
  TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA: 'ECDHE-RSA-DES-CBC3-SHA',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA: 'ECDHE-RSA-AES128-SHA',
  TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA: 'ECDHE-RSA-AES256-SHA',
  TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256: 'ECDHE-ECDSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256: 'ECDHE-RSA-AES128-SHA256',
  TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256: 'ECDHE-RSA-AES128-GCM-SHA256',
  TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256: 'ECDHE-ECDSA-AES128-GCM-SHA256',
  TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384: 'ECDHE-RSA-AES256-GCM-SHA384',
  TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384: 'ECDHE-ECDSA-AES256-GCM-SHA384',
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256: 'ECDHE-ECDSA-CHACHA20-POLY1305',
  // Go's older names for the two ChaCha20 suites
  TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305: 'ECDHE-RSA-CHACHA20-POLY1305',
  TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305: 'ECDHE-ECDSA-CHACHA20-POLY1305',
};

/** TLS 1.3 suites: valid names, no effect (as in k6). */
const TLS13 = new Set(['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256']);

let available: Set<string> | undefined;

/**
 * Validates k6's `tlsCipherSuites` (a list of Go cipher-suite names): every name must be one k6
 * knows and this Node's OpenSSL offers. Returns the names as given.
 */
export function resolveTlsCipherSuites(v: unknown, w: Where): string[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw invalid(w, `must be a list of cipher suite names such as ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], got ${show(v)}`);
  available ??= new Set(getCiphers().map((c) => c.toUpperCase()));
  return v.map((name, i) => {
    const at = { ...w, path: `${w.path}[${i}]` };
    if (typeof name !== 'string') throw invalid(at, `must be a cipher suite name, got ${show(name)}`);
    if (TLS13.has(name)) return name;
    const openssl = GO_TO_OPENSSL[name];
    if (openssl === undefined) throw invalid(at, `unknown cipher suite ${show(name)} (k6's names, e.g. TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)`);
    if (!available!.has(openssl)) throw invalid(at, `${name} (OpenSSL ${openssl}) is not offered by this Node's OpenSSL`);
    return name;
  });
}

/** The OpenSSL cipher list for Node's `ciphers` option (TLS 1.2 and older), or '' for Node's default. */
export function opensslCipherList(suites: readonly string[] | undefined): string {
  if (suites === undefined) return '';
  return suites
    .map((s) => GO_TO_OPENSSL[s])
    .filter((s): s is string => s !== undefined)
    .join(':');
}
