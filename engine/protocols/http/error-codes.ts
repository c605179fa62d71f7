/**
 * k6's error codes for failed requests (https://grafana.com/docs/k6/latest/javascript-api/error-codes/,
 * values and messages from k6's lib/netext/httpext/error_codes.go), mapped from Node's and undici's
 * error codes. Messages are k6's fixed strings where k6 has one, so the `error` tag stays low-cardinality.
 */
export const K6_ERROR = {
  /** Anything not classified below. */
  generic: 1000,
  nonTCPNetwork: 1010,
  invalidURL: 1020,
  requestTimeout: 1050,
  dnsGeneric: 1100,
  dnsNoSuchHost: 1101,
  tcpGeneric: 1200,
  tcpBrokenPipe: 1201,
  tcpUnknownErrno: 1202,
  dialGeneric: 1210,
  dialTimeout: 1211,
  dialRefused: 1212,
  dialUnknownErrno: 1213,
  resetByPeer: 1220,
  tlsGeneric: 1300,
  tlsHeader: 1301,
  x509UnknownAuthority: 1310,
  x509HostnameMismatch: 1311,
  decompression: 1701,
} as const;

/** loadts's HTTP/1.1 client: the server closed the connection before the response was complete (Go: EOF). */
export const SOCKET_CLOSED = 'ERR_LOADTS_SOCKET_CLOSED';
/** loadts's HTTP/1.1 client: the VU closed its connections while the request was in flight or waiting. */
export const CLIENT_CLOSED = 'ERR_LOADTS_CLIENT_CLOSED';

/** A failure loadts itself decides (timeout, decompression), already classified. */
export class RequestFailure extends Error {
  readonly errorCode: number;
  constructor(message: string, errorCode: number) {
    super(message);
    this.name = 'RequestFailure';
    this.errorCode = errorCode;
  }
}

/** A classified failure: k6's `error_code` and `error` message. */
export interface ClassifiedError {
  code: number;
  message: string;
}

const UNKNOWN_AUTHORITY = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REJECTED',
]);

/** Go's net.OpError operation for a Node syscall name ('connect' is Go's 'dial'). */
function op(syscall: string | undefined): string {
  if (syscall === 'connect') return 'dial';
  if (syscall === 'write' || syscall === 'writev') return 'write';
  return 'read';
}

/** Maps an error from Node or undici (or a RequestFailure) to k6's code and message. */
export function classifyError(err: unknown): ClassifiedError {
  if (err instanceof RequestFailure) return { code: err.errorCode, message: err.message };
  const e = (typeof err === 'object' && err !== null ? err : {}) as { code?: unknown; message?: unknown; syscall?: string; cause?: unknown };
  const code = typeof e.code === 'string' ? e.code : '';
  const msg = typeof e.message === 'string' ? e.message : String(err);
  switch (code) {
    case 'ECONNREFUSED':
      return { code: K6_ERROR.dialRefused, message: 'dial: connection refused' };
    case 'ECONNRESET':
      return { code: K6_ERROR.resetByPeer, message: `${op(e.syscall)}: connection reset by peer` };
    case 'EPIPE':
      return { code: K6_ERROR.tcpBrokenPipe, message: `${op(e.syscall ?? 'write')}: broken pipe` };
    case 'ENOTFOUND':
      return { code: K6_ERROR.dnsNoSuchHost, message: 'lookup: no such host' };
    case 'ETIMEDOUT':
      if (e.syscall === 'connect') return { code: K6_ERROR.dialTimeout, message: 'dial: i/o timeout' };
      return { code: K6_ERROR.tcpUnknownErrno, message: `${op(e.syscall)}: ETIMEDOUT` };
    case 'UND_ERR_CONNECT_TIMEOUT':
      return { code: K6_ERROR.dialTimeout, message: 'dial: i/o timeout' };
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EADDRNOTAVAIL':
    case 'EADDRINUSE':
    case 'EACCES':
    case 'EPERM':
      if (e.syscall === 'connect') return { code: K6_ERROR.dialUnknownErrno, message: `dial: ${code}` };
      return { code: K6_ERROR.tcpUnknownErrno, message: `${op(e.syscall)}: ${code}` };
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return { code: K6_ERROR.requestTimeout, message: 'request timeout' };
    case 'UND_ERR_SOCKET':
    case 'ERR_LOADTS_SOCKET_CLOSED':
      // The server closed the connection before the response was complete (Go: EOF).
      return { code: K6_ERROR.generic, message: 'EOF: the server closed the connection' };
    case 'UND_ERR_ABORTED':
    case 'UND_ERR_DESTROYED':
    case 'UND_ERR_CLOSED':
    case 'ERR_LOADTS_CLIENT_CLOSED':
      return { code: K6_ERROR.generic, message: 'request aborted: the VU closed its connections' };
    case 'ERR_LOADTS_WORKER_STOPPED':
      return { code: K6_ERROR.generic, message: 'request aborted: its worker thread was stopped' };
    case 'UND_ERR_HEADERS_OVERFLOW':
    case 'HPE_HEADER_OVERFLOW':
      return { code: K6_ERROR.generic, message: 'response headers too large' };
    case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
      return { code: K6_ERROR.generic, message: 'response body length does not match Content-Length' };
    case 'ERR_INVALID_HTTP_TOKEN':
    case 'ERR_INVALID_CHAR':
      return { code: K6_ERROR.generic, message: msg };
    case 'ERR_INVALID_URL':
      return { code: K6_ERROR.invalidURL, message: 'invalid URL' };
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return { code: K6_ERROR.x509HostnameMismatch, message: "x509: certificate doesn't match hostname" };
    case 'CERT_HAS_EXPIRED':
    case 'CERT_NOT_YET_VALID':
      return { code: K6_ERROR.tlsGeneric, message: 'x509: certificate has expired or is not yet valid' };
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'ERR_SSL_PACKET_LENGTH_TOO_LONG':
    case 'ERR_SSL_HTTP_REQUEST':
      return { code: K6_ERROR.tlsHeader, message: 'tls: first record does not look like a TLS handshake' };
  }
  if (UNKNOWN_AUTHORITY.has(code)) return { code: K6_ERROR.x509UnknownAuthority, message: 'x509: unknown authority' };
  if (code.startsWith('EAI_')) return { code: K6_ERROR.dnsGeneric, message: `lookup: ${code}` };
  if (code.startsWith('HPE_')) return { code: K6_ERROR.generic, message: `malformed HTTP response (${code})` };
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) return { code: K6_ERROR.tlsGeneric, message: `tls: ${msg}` };
  if (e.cause !== undefined && e.cause !== err) {
    const inner = classifyError(e.cause);
    if (inner.code !== K6_ERROR.generic) return inner;
  }
  return { code: K6_ERROR.generic, message: msg };
}

/** Error codes of a request that the VU itself ended (its iteration interrupted at a stop). */
const VU_ABORTS = new Set(['UND_ERR_ABORTED', 'UND_ERR_DESTROYED', 'UND_ERR_CLOSED', 'ERR_LOADTS_CLIENT_CLOSED', 'ERR_LOADTS_WORKER_STOPPED']);

/** Whether `e` ended a request because its VU closed its connections (a stop), not because of the server. */
export function isVuAbort(e: unknown): boolean {
  return VU_ABORTS.has(String((e as { code?: unknown } | null)?.code ?? ''));
}
