/**
 * k6's error codes for failed requests (https://grafana.com/docs/k6/latest/javascript-api/error-codes/),
 * from Node's and undici's error codes.
 */
export const K6_ERROR = {
  generic: 1000,
  invalidURL: 1020,
  requestTimeout: 1050,
  dnsGeneric: 1100,
  dnsNoSuchHost: 1101,
  tcpGeneric: 1200,
  tcpBrokenPipe: 1201,
  dialGeneric: 1210,
  dialTimeout: 1211,
  dialRefused: 1212,
  resetByPeer: 1220,
  tlsGeneric: 1300,
  tlsUnknownAuthority: 1310,
  tlsHostnameMismatch: 1311,
  decompression: 1701,
} as const;

/** Why a request failed, as loadts reports it. */
export class RequestFailure extends Error {
  readonly errorCode: number;
  constructor(message: string, errorCode: number) {
    super(message);
    this.name = 'RequestFailure';
    this.errorCode = errorCode;
  }
}

/** Maps an error from Node or undici to k6's code and a short message. */
export function classifyError(err: unknown): { code: number; message: string } {
  if (err instanceof RequestFailure) return { code: err.errorCode, message: err.message };
  const e = err as { code?: string; message?: string; cause?: unknown };
  const code = e?.code ?? '';
  const msg = e?.message ?? String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: K6_ERROR.dialRefused, message: `connection refused: ${msg}` };
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return { code: K6_ERROR.resetByPeer, message: `connection reset by peer: ${msg}` };
    case 'EPIPE':
      return { code: K6_ERROR.tcpBrokenPipe, message: `broken pipe: ${msg}` };
    case 'ENOTFOUND':
      return { code: K6_ERROR.dnsNoSuchHost, message: `no such host: ${msg}` };
    case 'EAI_AGAIN':
      return { code: K6_ERROR.dnsGeneric, message: `DNS lookup failed: ${msg}` };
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: K6_ERROR.dialTimeout, message: `connect timeout: ${msg}` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: K6_ERROR.requestTimeout, message: `request timeout: ${msg}` };
    case 'ERR_INVALID_URL':
    case 'UND_ERR_INVALID_ARG':
      return { code: K6_ERROR.invalidURL, message: msg };
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_HAS_EXPIRED':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return { code: K6_ERROR.tlsUnknownAuthority, message: `x509: certificate not trusted (${code})` };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: K6_ERROR.tlsHostnameMismatch, message: `x509: certificate is not valid for this host: ${msg}` };
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'ERR_BROTLI_DECOMPRESSION_FAILED':
      return { code: K6_ERROR.decompression, message: `decompression failed: ${msg}` };
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /ssl|tls/i.test(msg)) return { code: K6_ERROR.tlsGeneric, message: msg };
  if (e?.cause) return classifyError(e.cause);
  return { code: K6_ERROR.generic, message: msg };
}
